"""Issue 13: the content security policy holds on every main page — each
page the navigation offers to a branch manager, a team leader, finance and a
client manager, plus search, the to-do inbox and the jobs page. Any
violation (an inline script or style, a foreign source) or server error
fails the test."""

EXTRA = ["/", "/search/?q=经理", "/approvals/", "/approvals/notices/", "/jobs/"]


def _nav_links(b) -> list[str]:
    hrefs = b.page.locator("[data-testid=main-nav] a[href^='/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return sorted({h for h in hrefs if not h.endswith((".xlsx", ".pdf", ".csv"))})


def test_no_csp_violation_on_any_main_page(desktop):
    seen = set()
    for login in ("demo_bm", "demo_tl", "demo_fin", "demo_cm"):
        desktop.login(login)
        pages = sorted(set(_nav_links(desktop)) | set(EXTRA))
        assert len(pages) >= 8, (login, pages)
        for path in pages:
            desktop.go(path)
            desktop.settled()
            assert desktop.csp_errors == [], (login, path, desktop.csp_errors)
            assert desktop.server_errors == [], (login, path, desktop.server_errors)
            title = desktop.page.title()
            assert "客户经理工作平台" in title, (login, path, title)
            seen.add(path)
        desktop.page.context.clear_cookies()
    assert len(seen) >= 30, sorted(seen)
