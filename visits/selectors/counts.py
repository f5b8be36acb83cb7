"""The leader's home-block counters read in one query (R-8.4)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Func, IntegerField, QuerySet, Subquery

from staff.models import User
from visits.models import MonthlySubmission
from visits.permissions import can_reassign
from visits.selectors.followups import overdue_followups
from visits.selectors.transfers import handover_clients
from visits.selectors.visits import overlaps_for


def _count(qs: QuerySet) -> Subquery:
    """``(SELECT COUNT(*) …)`` of a queryset, for use as an annotation."""
    return Subquery(
        qs.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def leader_counts(user, start: dt.date, today: dt.date) -> dict[str, int]:
    """What waits for a leader besides the slip cross-check, leaving out his
    own items: overlaps since ``start``, overdue follow-ups, months waiting
    for verification, clients waiting for a new owner."""
    counts = {
        "overlaps": _count(
            overlaps_for(user).filter(on_date__gte=start).exclude(person=user).select_related(None)
        ),
        "overdue_followups": _count(
            overdue_followups(user, today).exclude(owner=user).select_related(None)
        ),
        "pending_months": _count(
            MonthlySubmission.objects.visible_to(user)
            .filter(status=MonthlySubmission.Status.PENDING)
            .exclude(visitor=user)
        ),
    }
    if can_reassign(user):
        counts["handover"] = _count(handover_clients(user))
    row = User.objects.filter(pk=user.pk).annotate(**counts).values(*counts).get()
    return {"handover": 0, **{key: row[key] or 0 for key in counts}}
