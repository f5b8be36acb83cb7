"""The monthly sheet through its signatures, its exports, and payslip PDFs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approvals.selectors import request_for
from payroll import exports, services
from payroll.models import PayrollRun, PayrollSheet, Payslip, PayslipLine
from payroll.permissions import can_export_bank_and_tax
from portal.exports import XLSX_MIME, attachment, log_export
from portal.models import ExportLog
from portal.numerals import rmb_upper
from portal.pdf import pdf_response
from portal.views import paginate


def _sheet(request, pk: int) -> PayrollSheet:
    return get_object_or_404(
        PayrollSheet.objects.visible_to(request.user).select_related(
            "branch", "run__computed_by", "prepared_by"
        ),
        pk=pk,
    )


def sheet_list(request):
    sheets = (
        PayrollSheet.objects.visible_to(request.user)
        .select_related("branch", "run", "prepared_by")
        .order_by("-month", "branch__code", "-id")
    )
    return render(request, "payroll/sheet_list.html", {"page_obj": paginate(request, sheets)})


@require_POST
def sheet_submit(request, run_pk: int):
    run = get_object_or_404(PayrollRun.objects.visible_to(request.user), pk=run_pk)
    try:
        sheet = services.submit_sheet(
            actor=request.user, run=run, opinion=request.POST.get("opinion", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(run)
    messages.success(request, "月报表已提交签批：复核 → 主办会计 → 副经理 → 经理。")
    return redirect(sheet)


def sheet_detail(request, pk: int):
    sheet = _sheet(request, pk)
    rows, totals = exports.sheet_rows(sheet.run)
    return render(
        request,
        "payroll/sheet_detail.html",
        {
            "sheet": sheet,
            "rows": rows,
            "totals": [totals[h] for h, _ in exports.COLUMNS],
            "headers": exports.HEADERS,
            "upper": rmb_upper(totals["实发金额"]),
            "signatures": exports.signatures(sheet),
            "approval": request_for(sheet),
            "can_bank": can_export_bank_and_tax(request.user, sheet.branch),
        },
    )


def sheet_xlsx(request, pk: int):
    sheet = _sheet(request, pk)
    content, count = exports.sheet_workbook(sheet)
    log_export(
        user=request.user,
        what="薪酬月报表",
        fmt=ExportLog.Format.XLSX,
        filters={"sheet": sheet.pk},
        rows=count,
    )
    return attachment(content, filename=f"{sheet}.xlsx", content_type=XLSX_MIME)


def sheet_pdf(request, pk: int):
    sheet = _sheet(request, pk)
    rows, totals = exports.sheet_rows(sheet.run)
    return pdf_response(
        request,
        template="payroll/pdf/sheet.html",
        context={
            "sheet": sheet,
            "rows": rows,
            "totals": [totals[h] for h, _ in exports.COLUMNS],
            "headers": exports.HEADERS,
            "upper": rmb_upper(totals["实发金额"]),
            "signatures": exports.signatures(sheet),
            "pdf_title": "薪酬月报表",
        },
        what="薪酬月报表",
        filename=f"{sheet}.pdf",
        rows=len(rows),
        filters={"sheet": sheet.pk},
        landscape=True,
    )


def _signed_for_payment(request, pk: int) -> PayrollSheet:
    sheet = _sheet(request, pk)
    if not can_export_bank_and_tax(request.user, sheet.branch):
        raise PermissionDenied("代发文件和个税明细仅限本营业部财务人员导出。")
    if sheet.status != PayrollSheet.Status.SIGNED:
        raise PermissionDenied("月报表签批完成后才能生成代发文件和个税明细。")
    return sheet


def sheet_bank(request, pk: int):
    sheet = _signed_for_payment(request, pk)
    try:
        content, count, total = exports.bank_file(sheet)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(sheet)
    log_export(
        user=request.user,
        what="代发工资明细",
        fmt=ExportLog.Format.XLSX,
        filters={"sheet": sheet.pk, "total": str(total)},
        rows=count,
    )
    return attachment(
        content,
        filename=f"{sheet.branch.name}{sheet.month:%Y%m}代发工资明细.xlsx",
        content_type=XLSX_MIME,
    )


def sheet_tax(request, pk: int):
    sheet = _signed_for_payment(request, pk)
    content, count = exports.tax_file(sheet)
    log_export(
        user=request.user,
        what="个税扣缴明细",
        fmt=ExportLog.Format.XLSX,
        filters={"sheet": sheet.pk},
        rows=count,
    )
    return attachment(
        content,
        filename=f"{sheet.branch.name}{sheet.month:%Y%m}个税扣缴明细.xlsx",
        content_type=XLSX_MIME,
    )


def payslip_pdf(request, pk: int):
    slip = get_object_or_404(
        Payslip.objects.visible_to(request.user)
        .select_related("person", "run__branch", "team", "level")
        .prefetch_related(Prefetch("lines", queryset=PayslipLine.objects.order_by("order"))),
        pk=pk,
    )
    lines = list(slip.lines.all())
    groups = [
        (label, [ln for ln in lines if ln.kind == kind]) for kind, label in PayslipLine.Kind.choices
    ]
    return pdf_response(
        request,
        template="payroll/pdf/payslip.html",
        context={
            "slip": slip,
            "groups": groups,
            "upper": rmb_upper(slip.net),
            "pdf_title": "工资条",
        },
        what="工资条",
        filename=f"{slip.person.name}{slip.month:%Y%m}工资条.pdf",
        rows=1,
        filters={"payslip": slip.pk},
    )
