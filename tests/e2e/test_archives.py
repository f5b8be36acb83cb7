"""The archives in the browser: the team leader uploads a document to a new
hire's file and the archive clerk issues a confirmation slip; both open the
main pages on a desktop and on a 375 px phone without CSP errors."""

from playwright.sync_api import expect

from archives.models import REQUIRED_DOCUMENTS, ConfirmationSlip, DocumentKind
from staff.models import User

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _as(b, login):
    b.page.context.clear_cookies()
    b.login(login)


# The outermost elements reaching past the viewport (for a failure message).
_WIDE = """() => {
  const w = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName + '.' + el.className + ' ' + (el.dataset.testid || '') + ' ' + Math.round(r.right));
    }
  }
  return out.slice(0, 5);
}"""


def _alerts_block(b):
    """The home page's 档案提醒 block, once its lazy load has arrived."""
    expect(b.page.locator("[data-testid=home-block-archives]")).to_be_visible(timeout=30_000)
    expect(b.page.locator("[data-testid=archives-home]")).to_contain_text("到期")
    assert b.server_errors == []


def _new_hire_of(login: str) -> tuple[User, str]:
    """A member of the leader's team (a new hire first) and a document his
    file still lacks (else 其他材料)."""
    leader = User.objects.get(employee_no=login)
    members = (
        User.objects.filter(team_id=leader.team_id)
        .exclude(pk=leader.pk)
        .exclude(status=User.Status.LEFT)
        .order_by("status", "employee_no")
    )
    onboarding = [m for m in members if m.status == User.Status.ONBOARDING]
    for member in onboarding or list(members):
        held = set(
            member.file_documents.filter(replaced_at__isnull=True).values_list("kind", flat=True)
        )
        lacking = [k for k in REQUIRED_DOCUMENTS if k not in held]
        if lacking:
            return member, DocumentKind(lacking[0]).label
    return members[0], DocumentKind.OTHER.label


def test_the_leader_uploads_a_document_and_the_clerk_issues_a_slip(desktop, tmp_path):
    b = desktop
    _as(b, "demo_tl")
    _alerts_block(b)
    b.shot("archives-home-leader")
    hire, kind = _new_hire_of("demo_tl")
    before = hire.file_documents.count()
    b.go(f"/archives/people/{hire.pk}/upload/")
    b.page.get_by_label("材料类别").select_option(label=kind)
    resume = tmp_path / "简历.pdf"
    resume.write_bytes(PDF)
    b.page.get_by_label("文件（PDF 或 JPG/PNG 图片）").set_input_files(str(resume))
    b.page.locator("[data-testid=upload-submit]").click()
    expect(b.page.locator(".alert-success")).to_contain_text(f"已上传：{kind}")
    assert hire.file_documents.count() == before + 1
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
    _alerts_block(b)
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
    assert b.server_errors == []


def test_the_main_pages_on_a_phone(phone):
    b = phone
    hire, _kind = _new_hire_of("demo_tl")
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
            if path == "/":  # the home page's blocks load on their own
                expect(b.page.locator(".home-slot")).to_have_count(0, timeout=30_000)
            else:
                expect(b.page.locator("h1").first).to_be_visible()
            b.shot(f"archives-phone-{login}-{n}")
            assert b.server_errors == [], (login, path)
            wide = b.page.evaluate(_WIDE)
            assert b.no_sideways_scroll(), (login, path, wide)
    assert b.csp_errors == []
