import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from portal.charts import grouped_bars
from portal.forms import apply_errors
from portal.pdf import pdf_response
from portal.views import paginate
from staff.permissions import holds_any_role
from teams import selectors, services
from teams.filters import ReportFilter
from teams.forms import ReportForm, ReportStartForm
from teams.models import AnalysisReport, Metric
from teams.permissions import leads, teams_led
from teams.views.common import messages_of, scoped_export, team_in_scope


def report_list(request):
    reports = ReportFilter(
        request.GET or None, queryset=selectors.reports_for(request.user), user=request.user
    )
    return render(
        request,
        "teams/report_list.html",
        {
            "filter": reports,
            "page_obj": paginate(request, reports.ordered("-year", "-start", "team__code")),
            "led": teams_led(request.user),
            "can_export": holds_any_role(request.user),
        },
    )


def report_export(request):
    return scoped_export(request, "teams_reports")


def report_new(request, pk: int):
    team = team_in_scope(request.user, pk)
    if not leads(request.user, team):
        raise PermissionDenied("只有团队负责人可以撰写本团队的业务分析报告。")
    today = timezone.localdate()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    form = ReportStartForm(
        request.POST or None,
        initial={"period": "month", "year": last_month.year, "number": last_month.month},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.draft_report(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已按本期数据生成报告草稿，请补充业务分析。")
            return redirect(report)
    return render(request, "teams/report_new.html", {"team": team, "form": form})


def _charts_svg(report: AnalysisReport) -> list:
    months = report.figures.get("months", [])
    labels = [f"{m['month']}月" for m in months]
    charts = []
    for metric in (Metric.NEW_ACCOUNTS, Metric.NET_REVENUE):
        charts.append(
            grouped_bars(
                labels,
                [
                    ("目标", [m[f"target_{metric}"] for m in months]),
                    ("实际", [m[f"actual_{metric}"] for m in months]),
                ],
                title=Metric(metric).label,
            )
        )
    return charts


def report_detail(request, pk: int):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    locked = approval_selectors.is_locked(report)
    editable = (
        leads(request.user, report.team)
        and not locked
        and report.status in services.reports.EDITABLE
    )
    form = ReportForm(
        request.POST or None, initial={"analysis": report.analysis, "measures": report.measures}
    )
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.update_report(actor=request.user, report=report, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(report)
    return render(
        request,
        "teams/report_detail.html",
        {
            "report": report,
            "form": form,
            "editable": editable,
            "charts": _charts_svg(report),
            "approval": approval_selectors.request_for(report),
        },
    )


@require_POST
def report_submit(request, pk: int):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    try:
        services.submit_report(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, "已提交营业部经理审阅。")
    return redirect(report)


def report_pdf(request, pk: int):
    report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
    return pdf_response(
        request,
        template="teams/pdf/report.html",
        context={"report": report, "charts": _charts_svg(report), "pdf_title": str(report)},
        what="业务分析报告",
        filename=f"{report}.pdf",
        rows=1,
        filters={"report": report.pk},
    )
