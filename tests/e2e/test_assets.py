"""Assets in real browsers: a handover run by the keeper on a phone and
confirmed by the receiver, the register and its labels on a desktop, and a
client manager's own items on a phone."""

import subprocess

from playwright.sync_api import expect

from assets.models import Handover, Holding
from staff import services as staff_services
from staff.models import User


def test_a_handover_counted_by_the_keeper_and_confirmed_by_the_receiver(phone, desktop, tmp_path):
    handover = Handover.objects.get(status="open")  # the demo's client manager marked leaving
    person = handover.person
    receiver = User.objects.get(employee_no="demo_gl")
    lines = handover.lines.count()
    assert lines > 0

    # The keeper (demo_tl) on his phone: names the receiver, counts everything.
    phone.login("demo_tl")
    phone.go("/assets/handovers/")
    phone.page.get_by_role("link", name=handover.number).click()
    expect(phone.page.locator("[data-testid=handover-status]")).to_have_text("交接中")
    phone.page.get_by_label("接收人").select_option(str(receiver.pk))
    phone.page.locator("[data-testid=set-receiver]").click()
    expect(phone.page.locator("[data-testid=handover-receiver]")).to_have_text(receiver.name)
    assert phone.no_sideways_scroll()
    phone.shot("assets-phone-handover-keeper")
    phone.page.locator("#id_disposition").select_option("receiver")
    phone.page.locator("[data-testid=count-all]").click()
    expect(phone.page.locator(".alert-success")).to_contain_text(f"已清点 {lines} 项")
    expect(phone.page.locator("[data-testid=line-state]").first).to_have_text("待接收人确认")
    phone.page.context.clear_cookies()

    # The receiver sees it waiting for him and confirms.
    phone.login("demo_gl")
    phone.go(f"/assets/handovers/{handover.pk}/")
    expect(phone.page.locator(".alert-info")).to_contain_text(f"有 {lines} 项等待您确认接收")
    phone.page.locator("[data-testid=receive-all]").click()
    expect(phone.page.locator("[data-testid=handover-status]")).to_have_text("已完成")
    assert phone.no_sideways_scroll()
    phone.shot("assets-phone-handover-done")
    assert phone.csp_errors == []

    assert not Holding.objects.filter(holder=person).exists()
    staff_services.change_status(
        actor=User.objects.get(employee_no="demo_tl"),
        user=person,
        status="left",
        on=person.hired_on,
    )

    # The printed sheet, from the desktop.
    desktop.login("demo_tl")
    desktop.go(f"/assets/handovers/{handover.pk}/")
    with desktop.page.expect_download() as download:
        desktop.page.locator("[data-testid=handover-pdf]").click()
    pdf = tmp_path / "handover.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("实物交接单", handover.number, person.name, receiver.name, "接收人签字"):
        assert expected in text, expected
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "ho")],
        check=True,
    )
    assert desktop.csp_errors == []


def test_the_keeper_filters_the_register_and_prints_labels(desktop, tmp_path):
    desktop.login("demo_tl")
    desktop.go("/assets/")
    table = desktop.page.locator("[data-testid=items-table]")
    expect(table).to_contain_text("笔记本电脑")
    desktop.page.get_by_label("类别").select_option(label="电脑设备")
    desktop.page.get_by_label("状态").select_option(label="在库")
    desktop.page.get_by_role("button", name="筛选").click()
    expect(table).to_contain_text("在库")
    desktop.shot("assets-desktop-register")
    with desktop.page.expect_download() as download:
        desktop.page.locator("[data-testid=labels-pdf]").click()
    pdf = tmp_path / "labels.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "-PC-" in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "lb")],
        check=True,
    )
    # An item's page, as its QR code opens it.
    first = desktop.page.locator("[data-testid=items-table] tbody a").first
    number = first.inner_text()
    desktop.go(f"/assets/q/{number}/")
    expect(desktop.page.locator("h1 + span")).to_have_text(number)
    expect(desktop.page.locator("[data-testid=item-movements]")).to_contain_text("入库")
    desktop.shot("assets-desktop-item")
    assert desktop.csp_errors == []


def test_a_client_manager_sees_what_he_holds_on_a_phone(phone):
    phone.login("demo_cm")
    phone.go("/assets/")
    table = phone.page.locator("[data-testid=items-table]")
    expect(table).to_contain_text("笔记本电脑")
    assert phone.page.locator("[data-testid=register-item]").count() == 0
    assert phone.no_sideways_scroll()
    phone.shot("assets-phone-cm-register")
    me = User.objects.get(employee_no="demo_cm")
    phone.go(f"/staff/{me.pk}/")
    expect(phone.page.locator("[data-testid=held-items]")).to_contain_text("笔记本电脑")
    assert phone.no_sideways_scroll()
    assert phone.csp_errors == []


def test_a_keeper_counts_an_outlet_on_his_phone(phone):
    keeper = User.objects.get(employee_no="demo_tl")
    outlet = keeper.outlet
    phone.login("demo_tl")
    phone.go("/assets/stocktakes/new/")
    phone.page.get_by_label("团队").select_option(str(keeper.team_id))
    phone.page.get_by_label("网点").select_option(str(outlet.pk))
    phone.page.get_by_role("button", name="发起盘点").click()
    expect(phone.page.locator("[data-testid=stocktake-status]")).to_have_text("盘点中")
    take_url = phone.page.url
    # One item found by its label's QR code and confirmed from its page.
    first = phone.page.locator("[data-testid=stocktake-lines] tbody a").first
    number = first.inner_text()
    phone.go(f"/assets/q/{number}/")
    phone.page.get_by_role("button", name="确认在位").click()
    expect(phone.page.locator(".alert-success")).to_contain_text("已确认在位")
    assert phone.no_sideways_scroll()
    phone.shot("assets-phone-item-confirm")
    # The rest counted in the table: everything where the books say.
    phone.page.goto(take_url)
    phone.page.eval_on_selector_all(
        "[data-testid=stocktake-lines] tbody tr",
        """rows => rows.forEach(row => {
            const input = row.querySelector('input');
            if (input && input.value === '') { input.value = row.children[2].textContent.trim(); }
        })""",
    )
    phone.page.locator("[data-testid=save-counts]").click()
    expect(phone.page.locator(".alert-success")).to_contain_text("实盘数量")
    assert phone.no_sideways_scroll()
    phone.shot("assets-phone-stocktake")
    phone.page.on("dialog", lambda dialog: dialog.accept())
    phone.page.locator("[data-testid=close-stocktake]").click()
    expect(phone.page.locator("[data-testid=stocktake-status]")).to_have_text("已完成")
    assert phone.csp_errors == []
