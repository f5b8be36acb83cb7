"""R-8.4: each role's home page in a real browser, desktop and phone: every
lazily loaded block arrives, charts are drawn, nothing scrolls sideways and
the content security policy holds."""

from playwright.sync_api import expect

ROLES = [
    # login, blocks that must be there for the demo organisation
    ("demo_cm", {"worklog_today", "my_targets", "my_leave_slips"}),
    ("demo_tl", {"team_progress", "spot_checks"}),
    ("demo_bm", {"branch_progress", "branch_attendance", "branch_meetings"}),
    ("demo_fin", {"pay_month"}),
    ("demo_office", {"filed_sheets"}),
    ("admin", set()),
]


def _loaded_blocks(b) -> set[str]:
    expect(b.page.locator(".home-slot")).to_have_count(0, timeout=15000)
    assert b.server_errors == []
    codes = b.page.locator("[data-testid^=home-block-]").evaluate_all(
        "els => els.map(e => e.dataset.testid.replace('home-block-', ''))"
    )
    return set(codes)


def _charts_drawn(b) -> None:
    canvases = b.page.locator("[data-testid=home-blocks] canvas")
    for i in range(canvases.count()):
        drawn = canvases.nth(i).evaluate("c => !!(window.Chart && Chart.getChart(c))")
        assert drawn, f"chart {i} not drawn"


def _each_role(b, viewport: str) -> None:
    for login, expected in ROLES:
        b.login(login)
        shown = _loaded_blocks(b)
        assert expected <= shown, (login, expected - shown)
        if login in ("demo_tl", "demo_bm"):
            assert b.page.locator("[data-testid=home-blocks] canvas").count() >= 1
        _charts_drawn(b)
        if viewport == "phone":
            assert b.no_sideways_scroll(), login
        b.shot(f"home-{login}-{viewport}")
        b.page.context.clear_cookies()
    assert b.csp_errors == []


def test_each_role_sees_its_home_page_at_the_desk(desktop):
    _each_role(desktop, "desktop")


def test_each_role_sees_its_home_page_on_a_phone(phone):
    _each_role(phone, "phone")
