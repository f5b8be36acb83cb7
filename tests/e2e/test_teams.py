"""A client manager files today's work log on a phone; the leader draws a
spot-check that includes it and records a verdict."""

from django.utils import timezone
from playwright.sync_api import expect

from teams.models import SpotCheckItem, WorkLog


def test_work_log_on_a_phone_then_spot_checked_by_the_leader(phone, desktop):
    phone.login("demo_cm")
    phone.go("/teams/worklogs/")
    phone.page.locator("[data-testid=file-today]").click()
    phone.page.get_by_label("今日工作").fill(
        "上午在网点驻点，接待客户 5 位；下午回访两位高净值客户。"
    )
    phone.page.get_by_label("明日计划").fill("跟进两位意向开户客户。")
    assert phone.no_sideways_scroll()
    phone.shot("cm-phone-worklog-form")
    phone.page.locator("[data-testid=save-log]").click()
    expect(phone.page.locator(".alert-success")).to_contain_text("工作日志已保存")
    expect(phone.page.locator("[data-testid=today-card]")).to_contain_text("已填写")
    assert phone.csp_errors == []
    today = timezone.localdate()
    log = WorkLog.objects.get(person__employee_no="demo_cm", date=today)

    desktop.login("demo_tl")
    team_id = log.team_id
    desktop.go(f"/teams/{team_id}/spotchecks/new/")
    desktop.page.get_by_label("期间起").fill(today.isoformat())
    desktop.page.get_by_label("期间止").fill(today.isoformat())
    desktop.page.get_by_label("抽查份数").fill("50")
    desktop.page.get_by_label("或抽查比例（%）").fill("")
    desktop.page.locator("[data-testid=draw]").click()
    expect(desktop.page.locator(".alert-success")).to_contain_text("已随机抽取")
    item = desktop.page.locator("[data-testid=sample-item]", has_text=log.person.name)
    item.get_by_label("结论").select_option("improve")
    item.get_by_label("点评").fill("请写明客户的具体需求和下一步安排。")
    item.locator("[data-testid=record-verdict]").click()
    expect(desktop.page.locator(".alert-success")).to_contain_text("已记录")
    desktop.shot("tl-spotcheck")
    checked = SpotCheckItem.objects.get(work_log=log)
    assert (checked.verdict, checked.checked_by.employee_no) == ("improve", "demo_tl")
    assert desktop.csp_errors == []


def test_targets_and_progress_render_with_charts(desktop):
    desktop.login("demo_tl")
    year = timezone.localdate().year
    desktop.go("/teams/")
    desktop.page.get_by_role("link", name="福田营业部营销团队").click()
    desktop.page.get_by_role("link", name="目标分解").click()
    remainder = desktop.page.locator("[data-testid=remainder-new_accounts]")
    expect(remainder).to_contain_text("剩余 0 户")
    first = desktop.page.locator("input[data-sum=new_accounts]").first
    first.fill(str(int(first.input_value()) + 3))
    expect(remainder).to_contain_text("剩余 -3 户")
    desktop.page.locator("[data-testid=save-split]").click()
    expect(desktop.page.locator("[data-testid=split-error]").first).to_contain_text("超出 3 户")
    desktop.go(f"/teams/{desktop.page.url.split('/teams/')[1].split('/')[0]}/progress/{year}/")
    expect(desktop.page.locator("canvas")).to_have_count(3)
    desktop.page.wait_for_timeout(300)
    desktop.shot("tl-progress")
    assert desktop.csp_errors == []
