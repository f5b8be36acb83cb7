"""The quarterly visit report (R-7.4): drafted with the quarter's figures,
completed with the leader's analysis and his rating of how the clients'
requests were handled, and submitted to the leaders through the engine."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals import services as approvals
from approvals.registry import SubjectAdapter, register_subject
from staff.models import Branch, Team, User
from visits import rules
from visits.models import QuarterlyReport
from visits.permissions import can_draft_branch_report, can_draft_team_report, can_edit_report
from visits.selectors.figures import quarter_figures

FLOWS = {
    QuarterlyReport.Level.TEAM: "visit_report_team",
    QuarterlyReport.Level.BRANCH: "visit_report_branch",
}


def _figures(report: QuarterlyReport) -> dict:
    return quarter_figures(
        branch_id=report.branch_id,
        team_id=report.team_id,
        start=report.start,
        end=report.end,
        as_of=timezone.localdate(),
    )


@transaction.atomic
def draft_report(
    *, actor: User, year: int, quarter: int, team: Team | None = None, branch: Branch | None = None
) -> QuarterlyReport:
    """A team report by its leader, or a branch report by the branch
    management, with the quarter's figures filled in."""
    if team is not None:
        if not can_draft_team_report(actor, team):
            raise ValidationError("只有团队负责人可以撰写本团队的季度走访报告。")
        level, branch = QuarterlyReport.Level.TEAM, team.branch
    elif branch is not None:
        if not can_draft_branch_report(actor, branch):
            raise ValidationError("只有营业部经理、副经理可以撰写营业部的季度走访报告。")
        level = QuarterlyReport.Level.BRANCH
    else:
        raise ValidationError("请选择团队或营业部。")
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": "季度应为 1–4。"})
    start, end = rules.quarter_bounds(year, quarter)
    if start > timezone.localdate():
        raise ValidationError({"quarter": "该季度尚未开始。"})
    exists = QuarterlyReport.objects.filter(level=level, year=year, quarter=quarter)
    exists = exists.filter(team=team) if team is not None else exists.filter(branch=branch)
    if exists.exists():
        raise ValidationError("该季度的报告已经存在。")
    report = QuarterlyReport(
        level=level,
        branch=branch,
        team=team,
        year=year,
        quarter=quarter,
        start=start,
        end=end,
        prepared_by=actor,
    )
    report.figures = _figures(report)
    report.full_clean()
    report._history_user = actor
    report.save()
    return report


@transaction.atomic
def update_report(
    *,
    actor: User,
    report: QuarterlyReport,
    analysis: str,
    rating: str,
    rating_note: str,
    measures: str = "",
    refresh_figures: bool = False,
) -> QuarterlyReport:
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if not can_edit_report(actor, report):
        raise ValidationError(f"该报告{report.get_status_display()}，或您无权修改。")
    report.analysis = analysis.strip()
    report.rating = rating
    report.rating_note = rating_note.strip()
    report.measures = measures.strip()
    if refresh_figures:
        report.figures = _figures(report)
    report.full_clean()
    report._history_user = actor
    report.save()
    return report


@transaction.atomic
def submit_report(*, actor: User, report: QuarterlyReport, opinion: str = ""):
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if not can_edit_report(actor, report):
        raise ValidationError(f"该报告{report.get_status_display()}，或您无权报送。")
    problems = {}
    if len(report.analysis) < 20:
        problems["analysis"] = "请先写明走访情况分析（不少于 20 字）。"
    if not report.rating:
        problems["rating"] = "请对本季度客户诉求的处理情况作出评价。"
    if problems:
        raise ValidationError(problems)
    if timezone.localdate() < report.end:
        raise ValidationError("季度结束后才能报送（数据以季度末为准）。")
    # The figures go in as of the day they are sent.
    report.figures = _figures(report)
    report.save(update_fields=["figures"])
    return approvals.submit_request(
        actor=actor, subject=report, flow_code=FLOWS[report.level], opinion=opinion
    )


class QuarterlyReportSubject(SubjectAdapter):
    model = QuarterlyReport

    def title(self, report):
        return str(report)

    def summary(self, report):
        totals = report.figures.get("totals", {})
        followups = report.figures.get("followups", {})
        return [
            ("期间", f"{report.start} 至 {report.end}"),
            ("走访次数", f"{totals.get('visits', 0)} 次"),
            (
                "分级客户达标率",
                f"{totals.get('met_rate', '—')}（覆盖 {totals.get('cover_rate', '—')}）",
            ),
            (
                "督办事项",
                f"新增 {followups.get('raised', 0)}，解决 {followups.get('resolved', 0)}，"
                f"逾期 {followups.get('overdue', 0)}，平均 {followups.get('avg_days', '—')} 天",
            ),
            ("客户诉求处理评价", report.get_rating_display() or "—"),
            ("分析", report.analysis[:300]),
        ]

    def stamp(self, report, submitter):
        return {"branch_id": report.branch_id, "team_id": report.team_id, "group_id": None}

    def prepared_by(self, report, submitter):
        return report.prepared_by

    def _set(self, report, status, actor, **extra):
        report.status = status
        for name, value in extra.items():
            setattr(report, name, value)
        report._history_user = actor
        report.save(update_fields=["status", *extra])

    def on_submitted(self, report, request, actor):
        self._set(report, QuarterlyReport.Status.SUBMITTED, actor)

    def on_rejected(self, report, request, actor):
        self._set(report, QuarterlyReport.Status.REJECTED, actor)

    def on_withdrawn(self, report, request, actor):
        self._set(report, QuarterlyReport.Status.WITHDRAWN, actor)

    def on_approved(self, report, request, actor):
        self._set(report, QuarterlyReport.Status.APPROVED, actor, approved_at=timezone.now())


register_subject(QuarterlyReportSubject())
