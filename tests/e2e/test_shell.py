"""A client manager and a branch manager log in and see their own world."""

from playwright.sync_api import expect


def _nav_codes(b) -> list[str]:
    return b.page.locator("[data-testid=main-nav] [data-nav]").evaluate_all(
        "els => els.map(e => e.dataset.nav)"
    )


def test_client_manager_on_a_phone(phone):
    phone.login("demo_cm")
    expect(phone.page.locator("h1")).to_contain_text("您好")
    assert phone.no_sideways_scroll()
    phone.page.get_by_label("展开导航").click()
    expect(phone.page.locator("[data-testid=main-nav]")).to_be_visible()
    assert _nav_codes(phone) == [
        "approvals",
        "teams",
        "attendance",
        "meetings",
        "clients",
        "assets",
        "payroll",
        "visits",
        "archives",
        "staff",
    ]
    phone.shot("cm-phone-home")
    phone.go("/staff/")
    rows = phone.page.locator("[data-testid=people-table] tbody tr")
    expect(rows).to_have_count(1)  # only himself
    assert phone.no_sideways_scroll()
    # No export for a plain client manager.
    expect(phone.page.locator("[data-testid=export-xlsx]")).to_have_count(0)
    phone.go("/clients/")
    assert phone.page.locator("[data-testid=clients-table] tbody tr").count() > 5
    assert phone.no_sideways_scroll()
    phone.shot("cm-phone-clients")
    assert phone.csp_errors == []


def test_branch_manager_at_the_desk(desktop):
    desktop.login("demo_bm")
    assert {"approvals", "teams", "clients", "payroll", "staff"} <= set(_nav_codes(desktop))
    desktop.go("/staff/")
    expect(desktop.page.locator("h1")).to_have_text("人员名单")
    rows = desktop.page.locator("[data-testid=people-table] tbody tr")
    assert rows.count() > 20
    desktop.page.get_by_label("团队").select_option(label="福田银行渠道营销团队")
    desktop.page.get_by_role("button", name="筛选").click()
    expect(desktop.page.locator("[data-testid=people-table]")).to_contain_text(
        "福田银行渠道营销团队"
    )
    expect(desktop.page.locator("[data-testid=people-table]")).not_to_contain_text(
        "福田营业部营销团队"
    )
    desktop.shot("bm-desktop-staff")
    with desktop.page.expect_download() as download:
        desktop.page.locator("[data-testid=export-xlsx]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    desktop.go("/staff/org/")
    expect(desktop.page.locator("[data-testid=org-tree]")).to_contain_text("第一小组")
    desktop.shot("bm-desktop-org")
    assert desktop.csp_errors == []
    # Every chapter's menu fits the common office widths without sideways scroll.
    for width in (1280, 1366, 1920):
        desktop.page.set_viewport_size({"width": width, "height": 900})
        assert desktop.no_sideways_scroll(), width


def test_staff_list_on_a_phone_for_the_branch_manager(phone):
    phone.login("demo_bm")
    phone.go("/staff/")
    assert phone.page.locator("[data-testid=people-table] tbody tr").count() > 20
    assert phone.no_sideways_scroll()
    phone.shot("bm-phone-staff")
    assert phone.csp_errors == []


def test_hq_office_does_not_see_clients(desktop):
    desktop.login("demo_office")
    assert "clients" not in _nav_codes(desktop)
    desktop.go("/clients/")
    expect(desktop.page.locator("[data-testid=clients-table] tbody")).to_contain_text(
        "没有符合条件的客户"
    )
