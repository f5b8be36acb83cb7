"""Visit figures beside a team's targets on its progress page and in its
analysis-report drafts (R-7.1, R-7.3 with R-1.5). Registered from
``visits.home.register``; plain strings, since drafts store them as JSON."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from visits.models import FollowUp, FollowUpStatus, Visit, VisitMode


def team_visits(team, start: dt.date, end: dt.date, person=None) -> dict | None:
    """Visits logged and clients visited in the period; follow-ups raised,
    closed, and overdue at the period's end (or today, if earlier): due
    before that day and not resolved by it. Per member when ``person`` is
    given (his visits, the follow-ups he owns). Two queries whatever the
    size of the team or the period."""
    visits = Visit.objects.filter(team=team, visited_on__range=(start, end))
    followups = FollowUp.objects.filter(team=team)
    if person is not None:
        visits = visits.filter(visitor=person)
        followups = followups.filter(owner=person)
    as_of = min(end, timezone.localdate())
    v = visits.aggregate(
        total=Count("id"),
        clients=Count("client", distinct=True),
        onsite=Count("id", filter=Q(mode=VisitMode.ONSITE)),
        phone=Count("id", filter=Q(mode=VisitMode.PHONE)),
        online=Count("id", filter=Q(mode=VisitMode.ONLINE)),
    )
    f = followups.aggregate(
        raised=Count("id", filter=Q(raised_on__range=(start, end))),
        closed=Count(
            "id",
            filter=Q(status=FollowUpStatus.CLOSED, closed_at__date__range=(start, end)),
        ),
        overdue=Count(
            "id",
            filter=Q(raised_on__lte=as_of, due_on__lt=as_of)
            & (Q(resolved_on__isnull=True) | Q(resolved_on__gt=as_of)),
        ),
    )
    if not v["total"] and not any(f.values()):
        return {
            "code": "visits",
            "title": "客户走访",
            "rows": [{"label": "走访日志", "value": "本期无走访", "note": ""}],
        }
    modes = f"上门 {v['onsite']} · 电话 {v['phone']} · 线上 {v['online']}"
    return {
        "code": "visits",
        "title": "客户走访",
        "rows": [
            {"label": "走访次数", "value": f"{v['total']} 次", "note": modes},
            {"label": "走访客户", "value": f"{v['clients']} 户", "note": ""},
            {"label": "新增督办", "value": f"{f['raised']} 件", "note": ""},
            {"label": "办结督办", "value": f"{f['closed']} 件", "note": "已告知客户并办结"},
            {
                "label": "逾期督办",
                "value": f"{f['overdue']} 件",
                "note": f"截至 {as_of:%Y-%m-%d} 超过期限未解决",
            },
        ],
    }
