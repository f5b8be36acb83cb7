"""The quarterly visit report (R-7.4): draft, complete, submit, print."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from portal.exports import XLSX_MIME, attachment, log_export
from portal.forms import apply_errors
from portal.history import change_log
from portal.models import ExportLog
from portal.pdf import pdf_response
from portal.views import paginate
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Branch, Role, Team
from visits import permissions, selectors
from visits.exports import report_workbook
from visits.forms import NewReportForm, ReportForm
from visits.services import reports as services


def report_list(request):
    if not permissions.can_view_reports(request.user):
        raise PermissionDenied("季度走访报告供团队负责人和营业部、公司领导查看。")
    return render(
        request,
        "visits/report_list.html",
        {
            "page_obj": paginate(request, selectors.reports_for(request.user)),
            "can_draft": permissions.drafts_reports(request.user),
        },
    )


def _units(user):
    scope = scope_for(user)
    if scope.superuser:
        return Team.objects.order_by("code"), Branch.objects.order_by("code")
    return (
        Team.objects.filter(pk__in=scope.ids(Role.TEAM_LEADER)).order_by("code"),
        Branch.objects.filter(pk__in=scope.ids(*BRANCH_MANAGEMENT)).order_by("code"),
    )


def report_new(request):
    if not permissions.drafts_reports(request.user):
        raise PermissionDenied("只有团队负责人或营业部经理、副经理可以撰写季度走访报告。")
    teams, branches = _units(request.user)
    form = NewReportForm(request.POST or None, teams=teams, branches=branches)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.draft_report(
                actor=request.user,
                year=data["year"],
                quarter=data["quarter"],
                team=data["team"],
                branch=data["branch"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已生成报告草稿，请补充分析和评价后报送。")
            return redirect(report)
    return render(request, "visits/report_new.html", {"form": form})


def report_detail(request, pk: int):
    report = selectors.report_detail(request.user, pk)
    can_edit = permissions.can_edit_report(request.user, report)
    form = ReportForm(request.POST or None, instance=report) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("该报告不能修改。")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_report(
                    actor=request.user,
                    report=report,
                    analysis=data["analysis"],
                    rating=data["rating"],
                    rating_note=data["rating_note"],
                    measures=data["measures"],
                    refresh_figures=data["refresh_figures"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "报告已保存。")
                return redirect(report)
    return render(
        request,
        "visits/report_detail.html",
        {
            "report": report,
            "f": report.figures,
            "form": form,
            "can_edit": can_edit,
            "can_submit": can_edit and timezone.localdate() >= report.end,
            "request_obj": approval_selectors.request_for(report),
            "change_log": change_log(report),
        },
    )


@require_POST
def report_submit(request, pk: int):
    report = selectors.report_detail(request.user, pk)
    try:
        services.submit_report(
            actor=request.user, report=report, opinion=request.POST.get("opinion", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "报告已报送领导审阅。")
    return redirect(report)


def report_pdf(request, pk: int):
    report = selectors.report_detail(request.user, pk)
    return pdf_response(
        request,
        template="visits/pdf/report.html",
        context={
            "report": report,
            "f": report.figures,
            "request_obj": approval_selectors.request_for(report),
        },
        what="客户走访季度报告",
        filename=f"{report}.pdf",
        rows=len(report.figures.get("managers", [])) + len(report.figures.get("teams", [])),
        filters={"report": report.pk},
        landscape=True,
    )


def report_xlsx(request, pk: int):
    report = selectors.report_detail(request.user, pk)
    content, rows = report_workbook(report)
    log_export(
        user=request.user,
        what="客户走访季度报告",
        fmt=ExportLog.Format.XLSX,
        filters={"report": report.pk},
        rows=rows,
    )
    return attachment(content, filename=f"{report}.xlsx", content_type=XLSX_MIME)
