"""Month-end submission of the visit logs and their verification by the
responsible person through the approval engine (R-7.1)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from approvals import services as approvals
from approvals.models import Action
from approvals.registry import SubjectAdapter, register_subject
from staff.models import User
from visits import rules
from visits.models import MonthlySubmission, Visit
from visits.permissions import can_submit_month

FLOW = "visit_log_review"


@transaction.atomic
def submit_month(*, actor: User, month: dt.date, opinion: str = "") -> MonthlySubmission:
    """Sends the month's logs to the responsible person (the team leader;
    the engine takes it one level up when he is the visitor). A rejected or
    withdrawn month is resubmitted with whatever was added since."""
    if not can_submit_month(actor):
        raise ValidationError("只有团队成员可以提交走访日志。")
    month = rules.month_start(month)
    today = timezone.localdate()
    if not rules.may_submit_month(month, today):
        raise ValidationError(
            f"{month:%Y 年 %-m 月}的走访日志月末（{rules.SUBMIT_FROM_DAY} 日起）才能提交。"
        )
    # The visitor's row is the lock that filing a visit also takes.
    list(User.objects.select_for_update().filter(pk=actor.pk).values_list("pk", flat=True))
    if not Visit.objects.filter(visitor=actor, month=month).exists():
        raise ValidationError(f"{month:%Y 年 %-m 月}没有走访日志，无需提交。")
    submission = MonthlySubmission.objects.filter(visitor=actor, month=month).first()
    if submission is None:
        submission = MonthlySubmission(visitor=actor, month=month, status="pending")
        submission.stamp_from(actor)
        submission.full_clean()
        submission._history_user = actor
        submission.save()
    elif submission.locked:
        raise ValidationError(f"该月走访日志{submission.get_status_display()}。")
    approvals.submit_request(actor=actor, subject=submission, flow_code=FLOW, opinion=opinion)
    submission.refresh_from_db()  # a resubmission updates its own copy of the row
    return submission


def _mode_counts(submission: MonthlySubmission) -> str:
    from visits.models import VisitMode

    rows = dict(
        Visit.objects.filter(submission=submission)
        .order_by()
        .values("mode")
        .annotate(n=Count("pk"))
        .values_list("mode", "n")
    )
    return "，".join(f"{label} {rows.get(value, 0)} 次" for value, label in VisitMode.choices)


class VisitLogSubject(SubjectAdapter):
    model = MonthlySubmission

    def title(self, submission):
        return str(submission)

    def summary(self, submission):
        return [
            ("走访人", f"{submission.visitor.name}（{submission.visitor.employee_no}）"),
            ("月份", f"{submission.month:%Y-%m}"),
            ("走访次数", f"{submission.visit_count} 次（{_mode_counts(submission)}）"),
        ]

    def stamp(self, submission, submitter):
        return {
            "branch_id": submission.branch_id,
            "team_id": submission.team_id,
            "group_id": submission.group_id,
        }

    def prepared_by(self, submission, submitter):
        return submission.visitor

    def on_submitted(self, submission, request, actor):
        # Every log of the month goes in, including those added after a rejection.
        visits = Visit.objects.filter(visitor_id=submission.visitor_id, month=submission.month)
        visits.update(submission=submission)
        submission.visit_count = visits.count()
        submission.status = MonthlySubmission.Status.PENDING
        submission.submitted_at = timezone.now()
        submission.verified_by = None
        submission.verified_at = None
        submission.opinion = ""
        submission._history_user = actor
        submission.save()
        # The snapshot is taken before this callback; refresh it with the count.
        request.summary = [[label, str(value)] for label, value in self.summary(submission)]
        request.save(update_fields=["summary"])

    def on_approved(self, submission, request, actor):
        action = (
            request.actions.filter(kind=Action.Kind.APPROVE, round=request.round)
            .order_by("-id")
            .first()
        )
        submission.status = MonthlySubmission.Status.VERIFIED
        submission.verified_by = actor
        submission.verified_at = timezone.now()
        submission.opinion = action.opinion if action else ""
        submission._history_user = actor
        submission.save()

    def on_rejected(self, submission, request, actor):
        action = (
            request.actions.filter(kind=Action.Kind.REJECT, round=request.round)
            .order_by("-id")
            .first()
        )
        submission.status = MonthlySubmission.Status.REJECTED
        submission.opinion = action.opinion if action else ""
        submission._history_user = actor
        submission.save()

    def on_withdrawn(self, submission, request, actor):
        submission.status = MonthlySubmission.Status.WITHDRAWN
        submission._history_user = actor
        submission.save()

    def notify_on_approval(self, subject, request):
        return []


register_subject(VisitLogSubject())
