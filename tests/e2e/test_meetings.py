"""A team leader files this morning's 晨会 on a phone (five items, roll call
with an absentee); the branch manager sees every team's misses and a team's
calendar; a weekly meeting's page shows the team's target progress."""

from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting


def test_morning_meeting_filed_on_a_phone(phone):
    phone.login("demo_tl")
    phone.go("/meetings/")
    phone.page.locator("[data-testid=new-morning]").click()
    expect(phone.page.locator("[data-testid=roll-call]")).to_be_visible()
    phone.page.get_by_label("当日市场信息与走势研判").fill("隔夜美股收涨，预计今日 A 股高开震荡。")
    phone.page.get_by_label("公司最新精神、新产品、新业务、新任务").fill("收益凭证本周三起认购。")
    phone.page.get_by_label("团队工作进度汇报").fill("昨日新开户 3 户。")
    phone.page.get_by_label("营销案例学习与体会交流").fill("代发工资客户转化定投的做法。")
    phone.page.get_by_label("激励士气").fill("今日每人拜访 3 位客户！")
    line = phone.page.locator("[data-testid=roll-line]").nth(2)
    name = line.locator(".form-check-label").inner_text().split()[0]
    line.locator(".form-check-label").click()  # not present
    reason = line.get_by_label(f"{name}缺席原因")
    expect(reason).to_be_visible()
    reason.select_option("business")
    line.get_by_label(f"{name}说明").fill("参加营业部培训")
    expect(phone.page.locator("[data-roll-count]")).to_contain_text("缺席 1 人")
    assert phone.no_sideways_scroll()
    phone.shot("tl-phone-morning-form")
    phone.page.locator("[data-testid=save-meeting]").click()
    expect(phone.page.locator(".alert-success")).to_contain_text("晨会已记录")
    expect(phone.page.locator("[data-testid=morning-items]")).to_contain_text("收益凭证")
    assert phone.no_sideways_scroll()
    phone.shot("tl-phone-morning-detail")
    assert phone.csp_errors == []
    meeting = Meeting.objects.get(kind="morning", date=timezone.localdate(), team__code="BR01-T01")
    absent = meeting.attendees.get(present=False)
    assert (absent.person.name, absent.reason, absent.note) == (name, "business", "参加营业部培训")


def test_branch_manager_sees_all_teams_misses_and_a_team_calendar(desktop):
    desktop.login("demo_bm")
    desktop.go("/meetings/compliance/")
    rows = desktop.page.locator("[data-testid=compliance-row]")
    expect(rows).to_have_count(2)
    desktop.shot("bm-compliance-overview")
    rows.first.get_by_role("link").first.click()
    expect(desktop.page.locator("[data-testid=meeting-calendar]")).to_be_visible()
    assert desktop.page.locator("[data-status=held]").count() > 10
    desktop.shot("bm-team-calendar")
    desktop.page.locator("[data-status=held]").first.click()
    expect(desktop.page.locator("[data-testid=roll]")).to_be_visible()
    assert desktop.csp_errors == []


def test_weekly_meeting_page_shows_target_progress_and_carried_items(desktop):
    desktop.login("demo_tl")
    weekly = (
        Meeting.objects.filter(kind="weekly", team__code="BR01-T01", reviews__isnull=False)
        .order_by("-date")
        .first()
    )
    desktop.go(f"/meetings/{weekly.pk}/")
    expect(desktop.page.locator("[data-testid=progress-panel]")).to_be_visible()
    expect(desktop.page.locator("[data-testid=progress-panel] canvas")).to_have_count(2)
    expect(desktop.page.locator("[data-testid=reviews]")).to_be_visible()
    desktop.page.wait_for_timeout(300)
    desktop.shot("tl-weekly-detail")
    desktop.go("/meetings/new/weekly/")
    if "/new/" not in desktop.page.url:  # this week's meeting is already recorded
        desktop.page.goto(desktop.page.url + "edit/")
    expect(desktop.page.locator("[data-testid=progress-snapshot]")).to_be_visible()
    rows = desktop.page.locator("[data-formset-rows=actions] [data-formset-row]")
    before = rows.count()
    desktop.page.locator("[data-formset-add=actions]").click()
    expect(rows).to_have_count(before + 1)
    desktop.shot("tl-weekly-form")
    assert desktop.csp_errors == []


def test_lists_and_home_blocks(desktop, phone):
    desktop.login("demo_bm")
    desktop.go("/")
    expect(desktop.page.locator("[data-testid=home-block-meetings_missed]")).to_be_visible()
    desktop.shot("bm-home")
    desktop.go("/meetings/")
    expect(desktop.page.locator("[data-testid=meeting-table] tbody tr")).to_have_count(50)
    desktop.shot("bm-meeting-list")
    desktop.go("/meetings/competitors/?q=证券")
    assert desktop.page.locator("[data-testid=competitor-table] tbody tr").count() > 1
    desktop.shot("bm-competitors")
    desktop.go("/meetings/actions/")
    desktop.shot("bm-actions")
    assert desktop.csp_errors == []

    phone.login("demo_tl")
    phone.go("/meetings/compliance/")
    phone.page.locator("[data-testid=compliance-row] a").first.click()
    expect(phone.page.locator("[data-testid=meeting-calendar]")).to_be_visible()
    assert phone.no_sideways_scroll()
    phone.shot("tl-phone-calendar")
    phone.go("/meetings/actions/?mine=on")
    assert phone.no_sideways_scroll()
    assert phone.csp_errors == []
