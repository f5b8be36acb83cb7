"""The countersign flow in real browsers, each participant in his own login."""

import subprocess

from django.utils import timezone
from playwright.sync_api import expect

from approvals import services as approvals
from approvals.models import Request, Task
from approvals.notify import department_members
from staff.models import Team, User
from teams import services as teams
from teams.models import FilingKind


def _approve_from_inbox(b, login: str, title: str, choose: tuple[str, ...] = ()) -> None:
    b.login(login)
    b.go("/approvals/")
    b.page.get_by_role("link", name=title).click()
    panel = b.page.locator("[data-testid=action-panel]").first
    for label in choose:
        panel.get_by_label(label).check()
    panel.locator("[data-testid=approve]").click()
    expect(b.page.locator(".alert-success")).to_contain_text("已同意")
    b.page.context.clear_cookies()


def test_the_plan_flow_walked_by_every_participant(desktop, tmp_path):
    leader = User.objects.get(employee_no="demo_tl")
    filing = teams.create_rules_filing(
        actor=leader, team=leader.team, title="2027 年度营销方案", content="目标开户数 1200 户……"
    )
    request = approvals.submit_request(actor=leader, subject=filing, flow_code="team_plan")
    title = request.title
    _approve_from_inbox(desktop, "demo_bm", title)
    _approve_from_inbox(desktop, "demo_office", title)
    _approve_from_inbox(desktop, "demo_channel", title, choose=("合规部", "人力资源部"))
    _approve_from_inbox(desktop, "demo_compliance", title)
    _approve_from_inbox(desktop, "demo_hr", title)
    _approve_from_inbox(desktop, "demo_office", title)
    _approve_from_inbox(desktop, "demo_vp", title)
    _approve_from_inbox(desktop, "demo_office", title)
    # The branch sees the result and downloads the 会签单.
    desktop.login("demo_bm")
    desktop.go(f"/approvals/{request.pk}/")
    expect(desktop.page.locator("[data-testid=request-state]")).to_have_text("已通过")
    expect(desktop.page.locator("[data-testid=timeline]")).to_contain_text("合规部")
    desktop.shot("plan-flow-approved")
    with desktop.page.expect_download() as download:
        desktop.page.locator("[data-testid=countersign-pdf]").click()
    pdf = tmp_path / "countersign.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "营销团队文件会签单",
        "相关部门会签",
        "人力资源部",
        "主管副总裁批示",
        "审批结果：已通过",
    ):
        assert expected in text, expected
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "cs")],
        check=True,
    )
    assert desktop.csp_errors == []


def test_a_team_leader_files_rules_on_a_phone_and_they_are_approved(phone, desktop):
    phone.login("demo_tl")
    phone.go("/teams/filings/new/?kind=rules")
    team = Team.objects.get(code="BR01-T01")
    phone.page.get_by_label("团队").select_option(str(team.pk))
    phone.page.get_by_label("标题").fill("2027 年管理及薪酬标准实施细则")
    phone.page.get_by_label("细则正文").fill(
        "一、考勤按营业部制度执行。\n二、提成按净收入的 8% 计算。"
    )
    phone.page.get_by_role("button", name="保存草稿").click()
    expect(phone.page.locator("[data-testid=filing-status]")).to_have_text("草稿")
    assert phone.no_sideways_scroll()
    phone.page.locator("[data-testid=submit-filing]").click()
    expect(phone.page.locator("[data-testid=filing-status]")).to_have_text("报批中")
    phone.shot("tl-phone-rules-submitted")
    request = Request.objects.filter(title__contains="2027 年管理及薪酬标准实施细则").latest("id")
    title = request.title
    for _step in range(2):  # the branch manager, then 渠道管理部 (whoever holds them today)
        task = request.tasks.filter(status=Task.Status.OPEN).select_related("user").first()
        approver = task.user or department_members(task.department, timezone.localdate())[0]
        _approve_from_inbox(desktop, approver.employee_no, title)
    phone.page.reload()
    expect(phone.page.locator("[data-testid=filing-status]")).to_have_text("已批准（执行中）")
    assert phone.csp_errors == []
    assert desktop.csp_errors == []


def test_inbox_on_a_phone(phone):
    from approvals.selectors import inbox

    leader = User.objects.get(employee_no="demo_tl")
    waiting = inbox(User.objects.get(employee_no="demo_bm")).count()  # the demo's own
    # Three of the team's documents at once: one version of a series may be
    # in the flow at a time, so three years' 营销方案.
    for year in (2031, 2032, 2033):
        f = teams.create_filing(
            actor=leader,
            team=leader.team,
            kind=FilingKind.MARKETING,
            year=year,
            title=f"{year} 年营销方案",
            content="……",
        )
        approvals.submit_request(actor=leader, subject=f, flow_code="team_rules")
    phone.login("demo_bm")
    phone.go("/approvals/")
    assert phone.page.locator("[data-testid=inbox-table] tbody tr").count() == waiting + 3
    assert phone.no_sideways_scroll()
    phone.page.locator("[data-check-all=task]").check()
    phone.page.once("dialog", lambda dialog: dialog.accept())
    phone.page.locator("[data-testid=batch-approve]").click()
    expect(phone.page.locator(".alert-success")).to_contain_text(f"已批量同意 {waiting + 3} 件")
    phone.shot("bm-phone-inbox")
