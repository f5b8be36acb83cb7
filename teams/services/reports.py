"""业务分析报告: drafted by the portal, completed by the leader, reviewed by
the branch manager and archived (R-1.8, R-6.5)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals import selectors as approval_selectors
from approvals import services as approvals
from approvals.registry import SubjectAdapter, register_subject
from staff.models import Team, User
from teams.models import AnalysisReport
from teams.permissions import leads
from teams.selectors import period_bounds, report_figures

REPORT_FLOW = "analysis_report"
EDITABLE = (
    AnalysisReport.Status.DRAFT,
    AnalysisReport.Status.REJECTED,
    AnalysisReport.Status.WITHDRAWN,
)


@transaction.atomic
def draft_report(*, actor: User, team: Team, period: str, year: int, number: int) -> AnalysisReport:
    """Creates the draft with the period's targets and actuals filled in."""
    if not leads(actor, team):
        raise ValidationError("只有团队负责人可以撰写本团队的业务分析报告。")
    if period == AnalysisReport.Period.MONTH and not 1 <= number <= 12:
        raise ValidationError({"number": "月份应为 1–12。"})
    if period == AnalysisReport.Period.HALF and number not in (1, 2):
        raise ValidationError({"number": "半年度报告的期次为 1（上半年）或 2（下半年）。"})
    if period == AnalysisReport.Period.YEAR:
        number = 1
    if AnalysisReport.objects.filter(team=team, period=period, year=year, number=number).exists():
        raise ValidationError("该期间的报告已经存在。")
    start, end = period_bounds(period, year, number)
    report = AnalysisReport(
        team=team,
        branch_id=team.branch_id,
        period=period,
        year=year,
        number=number,
        start=start,
        end=end,
        figures=report_figures(team, start, end),
        prepared_by=actor,
    )
    report.full_clean()
    report._history_user = actor
    report.save()
    return report


def _editable(report: AnalysisReport) -> None:
    if approval_selectors.is_locked(report) or report.status not in EDITABLE:
        raise ValidationError(f"该报告{report.get_status_display()}，不能修改。")


@transaction.atomic
def update_report(
    *,
    actor: User,
    report: AnalysisReport,
    analysis: str,
    measures: str,
    refresh_figures: bool = False,
) -> AnalysisReport:
    report = AnalysisReport.objects.select_for_update().select_related("team").get(pk=report.pk)
    if not leads(actor, report.team):
        raise ValidationError("只有团队负责人可以修改报告。")
    _editable(report)
    report.analysis, report.measures = analysis, measures
    if refresh_figures:
        report.figures = report_figures(report.team, report.start, report.end)
    report._history_user = actor
    report.save()
    return report


@transaction.atomic
def submit_report(*, actor: User, report: AnalysisReport, opinion: str = ""):
    report = AnalysisReport.objects.select_for_update().select_related("team").get(pk=report.pk)
    if not leads(actor, report.team):
        raise ValidationError("只有团队负责人可以提交报告。")
    _editable(report)
    if len(report.analysis.strip()) < 20:
        raise ValidationError({"analysis": "请先写明业务分析（不少于 20 字）。"})
    return approvals.submit_request(
        actor=actor, subject=report, flow_code=REPORT_FLOW, opinion=opinion
    )


class ReportSubject(SubjectAdapter):
    model = AnalysisReport

    def title(self, report):
        return str(report)

    def summary(self, report):
        items = [("团队", report.team.name), ("期间", f"{report.start} 至 {report.end}")]
        for row in report.figures.get("summary", {}).values():
            items.append(
                (row["label"], f"目标 {row['target']}，实际 {row['actual']}（完成 {row['rate']}）")
            )
        text = report.analysis if len(report.analysis) <= 300 else report.analysis[:300] + "……"
        items.append(("业务分析", text))
        return items

    def stamp(self, report, submitter):
        return {"branch_id": report.branch_id, "team_id": report.team_id, "group_id": None}

    def _set(self, report, status, actor, **extra):
        report.status = status
        for name, value in extra.items():
            setattr(report, name, value)
        report._history_user = actor
        report.save(update_fields=["status", *extra])

    def on_submitted(self, report, request, actor):
        self._set(report, AnalysisReport.Status.SUBMITTED, actor)

    def on_rejected(self, report, request, actor):
        self._set(report, AnalysisReport.Status.REJECTED, actor)

    def on_withdrawn(self, report, request, actor):
        self._set(report, AnalysisReport.Status.WITHDRAWN, actor)

    def on_approved(self, report, request, actor):
        self._set(report, AnalysisReport.Status.ARCHIVED, actor, archived_at=timezone.now())


register_subject(ReportSubject())
