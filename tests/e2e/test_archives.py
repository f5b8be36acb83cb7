"""The archives in the browser: the team leader uploads a document to a new
hire's file and the archive clerk issues a confirmation slip; both open the
main pages on a desktop and on a 375 px phone without CSP errors."""

from playwright.sync_api import expect

from archives.models import ConfirmationSlip
from staff.models import Role, User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _as(b, login):
    b.page.context.clear_cookies()
    b.login(login)


def _new_hire_of(login: str) -> User:
    """A person of the leader's team whose file still lacks its 个人简历."""
    leader = User.objects.get(employee_no=login)
    team = leader.role_assignments.filter(role=Role.TEAM_LEADER).first().team
    return (
        User.objects.filter(team=team)
        .exclude(pk=leader.pk)
        .exclude(file_documents__kind="resume", file_documents__replaced_at__isnull=True)
        .order_by("status", "employee_no")
        .first()
    )


def test_the_leader_uploads_a_document_and_the_clerk_issues_a_slip(desktop, tmp_path):
    b = desktop
    _as(b, "demo_tl")
    expect(b.page.locator("[data-testid=home-block-archives]")).to_be_visible()
    b.shot("archives-home-leader")
    hire = _new_hire_of("demo_tl")
    b.go(f"/archives/people/{hire.pk}/upload/")
    b.page.get_by_label("材料类别").select_option(label="个人简历")
    resume = tmp_path / "简历.pdf"
    resume.write_bytes(PDF)
    b.page.get_by_label("文件（PDF 或 JPG/PNG 图片）").set_input_files(str(resume))
    b.page.locator("[data-testid=upload-submit]").click()
    expect(b.page.locator(".alert-success")).to_contain_text("已上传：个人简历")
    assert hire.file_documents.filter(kind="resume", replaced_at__isnull=True).exists()
    b.shot("archives-file-after-upload")
    for path, name in (
        ("/archives/", "archives-file-list"),
        ("/archives/completeness/", "archives-completeness"),
        ("/archives/expiry/", "archives-expiry"),
        ("/archives/contracts/", "archives-contracts"),
    ):
        b.go(path)
        expect(b.page.locator("h1")).to_be_visible()
        b.shot(name)
    assert b.csp_errors == []

    _as(b, "demo_arch")
    expect(b.page.locator("[data-testid=home-block-archives]")).to_be_visible()
    clerk = User.objects.get(employee_no="demo_arch")
    manager = User.objects.get(employee_no="demo_cm")
    assert manager.branch_id == clerk.branch_id
    b.go("/archives/slips/new/")
    b.page.get_by_label("客户经理").select_option(
        label=f"{manager.name}（{manager.employee_no}） · {manager.team.name}"
    )
    b.page.get_by_label("新开户客户号").fill("E2E0001")
    b.page.get_by_label("新开户客户名称").fill("浏览器测试客户")
    b.page.get_by_label("开户日期").fill(b.page.get_by_label("确认日期").input_value())
    b.page.locator("[data-testid=slip-submit]").click()
    expect(b.page.locator(".alert-success")).to_be_visible()
    slip = ConfirmationSlip.objects.get(client__crm_code="E2E0001")
    assert slip.manager == manager
    expect(b.page.locator("body")).to_contain_text(slip.number)
    b.shot("archives-slip-issued")
    with b.page.expect_download() as download:
        b.page.locator(f"a[href='/archives/slips/{slip.pk}/pdf/']").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    for path, name in (
        ("/archives/slips/", "archives-slips"),
        ("/archives/slips/report/", "archives-slip-report"),
        ("/archives/months/", "archives-months"),
        (f"/archives/search/?q={slip.number}", "archives-search"),
    ):
        b.go(path)
        expect(b.page.locator("h1")).to_be_visible()
        b.shot(name)
    b.go(f"/search/?q={slip.number}")
    expect(b.page.locator("main")).to_contain_text(f"客户确认单 {slip.number}")
    assert b.csp_errors == []


def test_the_main_pages_on_a_phone(phone):
    b = phone
    hire = _new_hire_of("demo_tl")
    pages = {
        "demo_tl": ("/", "/archives/", f"/archives/people/{hire.pk}/", "/archives/expiry/"),
        "demo_arch": (
            "/",
            "/archives/slips/",
            "/archives/slips/new/",
            "/archives/completeness/",
            "/archives/months/",
        ),
        "demo_cm": ("/archives/", "/archives/slips/"),
    }
    for login, paths in pages.items():
        _as(b, login)
        for n, path in enumerate(paths):
            b.go(path)
            b.page.wait_for_load_state("networkidle")  # the home page's blocks load on their own
            assert b.no_sideways_scroll(), (login, path)
            b.shot(f"archives-phone-{login}-{n}")
    assert b.csp_errors == []
