"""A month from CRM import to the manager's signature, in the browser; the
client manager then downloads his own payslip."""

import csv
import subprocess

from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Client
from staff.models import User


def _crm_csv(tmp_path) -> str:
    path = tmp_path / "crm.csv"
    rows = Client.objects.filter(branch__code="BR01").select_related("manager").order_by("crm_code")
    with path.open("w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["客户号", "客户名称", "客户经理工号", "开户日期", "当月净收入", "月末资产"]
        )
        for c in rows:
            writer.writerow(
                [c.crm_code, c.name, c.manager.employee_no, c.opened_on, "1500.00", "300000.00"]
            )
    return str(path)


def _as(b, login):
    b.page.context.clear_cookies()
    b.login(login)


def _sign(b, login, title):
    _as(b, login)
    b.go("/approvals/")
    b.page.get_by_role("link", name=title).click()
    b.page.locator("[data-testid=approve]").first.click()
    expect(b.page.locator(".alert-success")).to_contain_text("已同意")


def test_a_month_from_import_to_signature_and_the_payslip(desktop, tmp_path):
    month = timezone.localdate().strftime("%Y-%m")
    b = desktop
    _as(b, "demo_fin")
    b.go("/payroll/crm/upload/")
    b.page.get_by_label("营业部").select_option(label="深圳福田营业部")
    b.page.get_by_label("月份").fill(month)
    b.page.get_by_label("CRM 月度导出文件（.xlsx/.xls/CSV）").set_input_files(_crm_csv(tmp_path))
    b.page.get_by_role("button", name="上传并预览").click()
    b.page.once("dialog", lambda d: d.accept())
    b.page.locator("[data-testid=commit-crm]").click()
    expect(b.page.locator(".alert-success")).to_contain_text("请另一名财务人员复核")
    crm_url = b.page.url
    _as(b, "demo_fin2")
    b.page.goto(crm_url)
    b.page.once("dialog", lambda d: d.accept())
    b.page.locator("[data-testid=review-crm]").click()
    expect(b.page.locator(".alert-success")).to_contain_text("复核完成")
    _as(b, "demo_fin")
    b.go("/payroll/")
    b.page.get_by_label("月份").fill(month)
    b.page.locator("[data-testid=compute]").click()
    expect(b.page.locator(".alert-success")).to_contain_text("已计算")
    b.page.locator("[data-testid=submit-sheet]").click()
    expect(b.page.locator("[data-testid=sheet-status]")).to_have_text("签批中")
    title = b.page.locator("h1").inner_text()
    for login in ("demo_fin2", "demo_acct", "demo_dep", "demo_bm"):
        _sign(b, login, title)
    b.go("/payroll/sheets/")
    b.page.get_by_role("link", name=month).first.click()
    expect(b.page.locator("[data-testid=sheet-status]")).to_contain_text("已签批")
    manager = User.objects.get(employee_no="demo_bm").name
    expect(b.page.locator("[data-testid=signatures]")).to_contain_text(manager)
    b.shot("bm-sheet-signed")
    assert b.csp_errors == []
    # The client manager sees and downloads his own payslip.
    _as(b, "demo_cm")
    b.go("/payroll/my/")
    b.page.locator("[data-testid=my-payslips] a").first.click()
    with b.page.expect_download() as download:
        b.page.locator("[data-testid=payslip-pdf]").click()
    pdf = tmp_path / "payslip.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "工资条" in text
    assert "demo_cm" in text
    b.shot("cm-payslip")
