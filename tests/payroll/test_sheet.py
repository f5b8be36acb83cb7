"""R-5.2: the monthly sheet through its signatures, locked from the first
one, filed with 经纪业务综合室; its exports read back cell by cell."""

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from approvals import services as approvals
from approvals.models import Notice, Task
from clients import services as client_services
from payroll import exports, services
from payroll.models import PayrollRun, PayrollSheet, Payslip
from portal.numerals import rmb_upper
from staff import services as staff_services
from tests.payroll.conftest import crm_file, import_month
from tests.staff.factories import person

pytestmark = pytest.mark.django_db

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def _computed(pay, month=JAN):
    import_month(
        pay,
        month,
        [
            (pay.client_a, "甲经理一的客户", "a_cm1", "2024-02-01", "60000.00", "1950000.00"),
            (pay.client_b, "甲经理二的客户", "a_cm2", "2024-02-01", "30000.00", "500000.00"),
        ],
    )
    return services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=month)


def _graded_only(pay):
    """Grade the leaders too, so the run has no one left uncomputed."""
    from staff.models import Level

    level = Level.objects.get(code="L4")
    for who in (pay.org.a_tl, pay.org.a_gl, pay.org.a_rm, pay.org.b_tl, pay.org.b_cm2):
        staff_services.change_posting(
            actor=pay.org.bm1,
            user=who,
            effective_on=dt.date(2024, 6, 1),
            reason="定级",
            level=level if who in (pay.org.a_tl, pay.org.b_tl) else pay.l3,
        )
    from payroll.models import PayStandardLine

    line = PayStandardLine.objects.get(
        standard=pay.standard, level=pay.l3, employment_type="full_time"
    )
    line.pk = None
    line.level = level
    line.save()


def _open(sheet) -> Task:
    return Task.objects.get(
        request__object_id=sheet.pk, request__content_type__model="payrollsheet", status="open"
    )


def _sign_all(pay, sheet):
    for _ in range(4):
        task = _open(sheet)
        approvals.approve_task(actor=task.user, task=task)
    sheet.refresh_from_db()
    return sheet


@pytest.fixture
def sheet(pay):
    _graded_only(pay)
    run = _computed(pay)
    return services.submit_sheet(actor=pay.fin1, run=run)


def test_the_sheet_goes_through_its_signatures_and_is_filed(pay, sheet):
    steps = []
    for expected in (pay.fin2, pay.acct, pay.dep, pay.org.bm1):
        task = _open(sheet)
        assert task.user == expected  # the review is by the other finance person (four eyes)
        steps.append(task.step_run.step.name)
        approvals.approve_task(actor=task.user, task=task, opinion="同意")
    assert steps == ["财务复核", "主办会计签字", "副经理签字", "经理签字"]
    sheet.refresh_from_db()
    assert sheet.status == PayrollSheet.Status.SIGNED
    assert (
        PayrollSheet.objects.visible_to(pay.org.office).filter(pk=sheet.pk).exists()
    )  # filed with 综合室
    assert not PayrollSheet.objects.visible_to(pay.org.comp1).filter(pk=sheet.pk).exists()
    assert Notice.objects.filter(user=pay.org.office, title__contains="已审批通过").exists()


def test_the_preparer_cannot_review_his_own_sheet(pay, sheet):
    with pytest.raises(ValidationError):
        approvals.approve_task(actor=pay.fin1, task=_open(sheet))


def test_after_the_first_signature_nothing_about_the_month_can_change(pay, sheet):
    o = pay.org
    task = _open(sheet)
    approvals.approve_task(actor=task.user, task=task)
    assert PayrollRun.objects.get(pk=sheet.run_id).locked_at is not None
    refusals = [
        lambda: services.compute_payroll(actor=pay.fin1, branch=o.b1, month=JAN),
        lambda: client_services.upload_crm(
            actor=pay.fin1, branch=o.b1, month=JAN, upload=crm_file([])
        ),
        lambda: services.assess_duty(actor=o.a_tl, person=o.a_cm1, month=JAN, points={}),
        lambda: services.set_special_deduction(
            actor=pay.fin1, person=o.a_cm1, month=JAN, kind="children", amount=Decimal("1000")
        ),
        lambda: services.add_other_payment(
            actor=pay.fin1,
            person=o.a_cm1,
            month=JAN,
            kind="labour",
            amount=Decimal("100"),
            description="讲课",
        ),
        lambda: approvals.withdraw_request(actor=pay.fin1, request=_open(sheet).request),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError):
            refuse()
    with pytest.raises(ValidationError, match="尚未签批"):
        services.add_adjustment(
            actor=pay.fin1,
            person=o.a_cm1,
            month=FEB,
            corrects=JAN,
            kind="supplement",
            amount=Decimal("100"),
            reason="漏计奖励",
        )


def test_a_rejection_voids_the_signatures_and_the_month_can_be_recomputed(pay, sheet):
    approvals.approve_task(actor=pay.fin2, task=_open(sheet))
    approvals.reject_task(actor=pay.acct, task=_open(sheet), opinion="二月份考核分有误")
    sheet.refresh_from_db()
    assert sheet.status == PayrollSheet.Status.REJECTED
    assert PayrollRun.objects.get(pk=sheet.run_id).locked_at is None
    new_run = services.compute_payroll(actor=pay.fin1, branch=pay.org.b1, month=JAN)
    new_sheet = services.submit_sheet(actor=pay.fin1, run=new_run)
    assert new_sheet.pk != sheet.pk
    _sign_all(pay, new_sheet)
    assert new_sheet.status == PayrollSheet.Status.SIGNED


def test_a_correction_after_signing_is_a_supplementary_line_in_a_later_month(pay, sheet):
    _sign_all(pay, sheet)
    services.add_adjustment(
        actor=pay.fin1,
        person=pay.org.a_cm1,
        month=FEB,
        corrects=JAN,
        kind="supplement",
        amount=Decimal("300"),
        reason="一月漏计开户奖励",
    )
    services.add_adjustment(
        actor=pay.fin1,
        person=pay.org.a_cm2,
        month=FEB,
        corrects=JAN,
        kind="clawback",
        amount=Decimal("50"),
        reason="一月多发",
    )
    run = _computed(pay, FEB)
    a = {ln.label: ln.amount for ln in run.payslips.get(person=pay.org.a_cm1).lines.all()}
    b = {
        ln.label: (ln.kind, ln.amount) for ln in run.payslips.get(person=pay.org.a_cm2).lines.all()
    }
    assert a["补发（更正2026年01月）"] == Decimal("300.00")
    assert b["扣回（更正2026年01月）"] == ("deduction", Decimal("50.00"))
    jan = Payslip.objects.get(run=sheet.run, person=pay.org.a_cm1)
    assert jan.net == Payslip.objects.get(pk=jan.pk).net  # the signed month is untouched


def _dec(value):
    """openpyxl reads numbers back as floats; compare them to the fen."""
    return (
        Decimal(str(value)).quantize(Decimal("0.01")) if isinstance(value, float | int) else value
    )


def test_the_excel_sheet_cell_by_cell(pay, sheet):
    _sign_all(pay, sheet)
    content, count = exports.sheet_workbook(sheet)
    ws = load_workbook(io.BytesIO(content)).active
    assert ws["A1"].value == "一号营业部客户经理薪酬月报表（2026年01月）"
    assert [c.value for c in ws[3]] == exports.HEADERS
    slips = {
        s.person.employee_no: s
        for s in Payslip.objects.filter(run=sheet.run).select_related("person")
    }
    rows = {ws.cell(row=r, column=2).value: r for r in range(4, 4 + count)}
    r = rows["a_cm1"]
    assert ws.cell(row=r, column=2).number_format == "@"
    a_cm1 = {
        h: _dec(ws.cell(row=r, column=c).value) for c, h in enumerate(exports.HEADERS, start=1)
    }
    assert a_cm1["基本工资"] == Decimal("3000.00")
    assert a_cm1["净收入提成"] == Decimal("3300.00")
    assert a_cm1["应发合计"] == slips["a_cm1"].gross
    assert a_cm1["个人所得税"] == slips["a_cm1"].tax
    assert a_cm1["实发金额"] == slips["a_cm1"].net
    total_row = 4 + count
    assert ws.cell(row=total_row, column=1).value == "合计"
    net_col = len(exports.HEADERS)
    net_total = sum(s.net for s in slips.values())
    assert _dec(ws.cell(row=total_row, column=net_col).value) == net_total
    gross_col = exports.HEADERS.index("应发合计") + 1
    assert _dec(ws.cell(row=total_row, column=gross_col).value) == sum(
        s.gross for s in slips.values()
    )
    assert (
        ws.cell(row=total_row + 1, column=1).value
        == f"实发合计（大写）：人民币{rmb_upper(net_total)}"
    )
    signature_row = [ws.cell(row=total_row + 3, column=c).value for c in range(1, net_col + 1)]
    signed = [v for v in signature_row if v]
    assert signed[0].startswith("编制：一部财务")
    assert any(v.startswith("财务复核：一部财务二") for v in signed)
    assert any(v.startswith("经理：一部经理") for v in signed)


def test_the_bank_file_adds_up_to_the_sheet(client, pay, sheet):
    from staff.models import User

    for who in User.objects.filter(payslips__run=sheet.run):
        User.objects.filter(pk=who.pk).update(
            bank_account=f"62220000{who.pk:011d}", bank_name="中国工商银行"
        )
    client.force_login(pay.fin1)
    assert client.get(f"/payroll/sheets/{sheet.pk}/bank.xlsx").status_code == 403  # not signed yet
    _sign_all(pay, sheet)
    response = client.get(f"/payroll/sheets/{sheet.pk}/bank.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("序号", "工号", "姓名", "开户银行", "银行账号", "金额")
    body, total = values[1:-1], values[-1]
    assert sum(Decimal(str(r[5])) for r in body) == Decimal(str(total[5]))
    assert Decimal(str(total[5])) == sum(s.net for s in Payslip.objects.filter(run=sheet.run))
    assert all(len(r[4]) == 19 for r in body)  # accounts kept as text
    client.force_login(pay.org.bm1)
    assert client.get(f"/payroll/sheets/{sheet.pk}/bank.xlsx").status_code == 403  # finance only


def test_missing_bank_accounts_are_named(client, pay, sheet):
    _sign_all(pay, sheet)
    client.force_login(pay.fin1)
    response = client.get(f"/payroll/sheets/{sheet.pk}/bank.xlsx", follow=True)
    assert "以下人员未登记工资卡号" in response.content.decode()


def test_the_tax_list_has_each_income_item(pay, sheet):
    _sign_all(pay, sheet)
    rows = exports.tax_rows(sheet)
    a_cm1 = next(r for r in rows if r[1] == "a_cm1")
    slip = Payslip.objects.get(run=sheet.run, person=pay.org.a_cm1)
    assert a_cm1[5] == "工资薪金所得"
    assert (a_cm1[6], a_cm1[7], a_cm1[9]) == (slip.tax_income, slip.tax_special, slip.tax)
    broker = next(r for r in rows if r[1] == "a_cm2")
    assert broker[5] == "劳务报酬（保险营销员、证券经纪人）"


def test_the_pdf_sheet_embeds_a_cjk_font_and_the_signatures(client, pay, sheet, tmp_path):
    _sign_all(pay, sheet)
    client.force_login(pay.org.bm1)
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(client.get(f"/payroll/sheets/{sheet.pk}/export.pdf").content)
    assert (
        "CJK"
        in subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    )
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "客户经理薪酬月报表" in text
    assert "实发合计（大写）：人民币" in text
    assert "经理：一部经理" in text


def test_a_client_manager_downloads_only_his_own_payslip_and_only_once_signed(
    client, pay, sheet, tmp_path
):
    slip = Payslip.objects.get(run=sheet.run, person=pay.org.a_cm1)
    other = Payslip.objects.get(run=sheet.run, person=pay.org.a_cm2)
    client.force_login(pay.org.a_cm1)
    assert client.get(f"/payroll/payslips/{slip.pk}/pdf/").status_code == 404  # not signed yet
    assert list(client.get("/payroll/my/").context["page_obj"]) == []
    _sign_all(pay, sheet)
    assert list(client.get("/payroll/my/").context["page_obj"]) == [slip]
    response = client.get(f"/payroll/payslips/{slip.pk}/pdf/")
    assert response.status_code == 200
    pdf = tmp_path / "slip.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "甲经理一（a_cm1）" in text
    assert "甲经理一\na_cm1 " in text  # watermark: the downloader
    assert client.get(f"/payroll/payslips/{other.pk}/pdf/").status_code == 404


def _grow(pay, n, offset):
    for i in range(n):
        cm = person(group=pay.org.a2, outlet=pay.org.o1, employee_no=f"s{offset + i:04d}")
        staff_services.change_posting(
            actor=pay.org.bm1,
            user=cm,
            effective_on=dt.date(2024, 6, 1),
            reason="定级",
            level=pay.l3,
        )


@pytest.mark.parametrize(
    "path",
    [
        "/payroll/sheets/{pk}/",
        "/payroll/sheets/{pk}/export.xlsx",
        "/payroll/sheets/{pk}/export.pdf",
        "/payroll/runs/{run}/",
    ],
)
def test_sheet_pages_and_exports_keep_a_constant_query_count(client, pay, path):
    _graded_only(pay)
    _grow(pay, 2, 0)
    sheet_a = services.submit_sheet(actor=pay.fin1, run=_computed(pay, JAN))
    _grow(pay, 15, 100)
    sheet_b = services.submit_sheet(actor=pay.fin1, run=_computed(pay, FEB))
    client.force_login(pay.fin1)
    counts = []
    for s in (sheet_a, sheet_b):
        url = path.format(pk=s.pk, run=s.run_id)
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
