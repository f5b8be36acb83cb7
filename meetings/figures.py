"""Meeting figures beside a team's targets on its progress page and in its
analysis-report drafts (R-1.5 with R-3.3, R-8.4). Registered from
``meetings.home.register``."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from meetings.models import ActionItem, ActionStatus, MeetingAttendee
from meetings.selectors import compliance

OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _held(summary: dict) -> str:
    rate = f"（{summary['rate']}%）" if summary["rate"] is not None else ""
    return f"{summary['held']} / {summary['past']}{rate}"


def team_meetings(team, start: dt.date, end: dt.date, person=None) -> dict | None:
    """Meetings held against those required in the period, misses, absences
    from meetings and the action items. For one member: the meetings he
    missed and his own action items."""
    today = timezone.localdate()
    end = min(end, today)
    if end < start:
        return None
    items = ActionItem.objects.filter(team=team, meeting__date__range=(start, end))
    if person is not None:
        items = items.filter(owner=person)
    actions = items.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=ActionStatus.DONE)),
        overdue=Count("id", filter=Q(status__in=OPEN, due_date__lt=today)),
    )
    rows = []
    if person is None:
        result = compliance([team], start, end, today=today)[0]
        rows += [
            {"label": "晨会", "value": _held(result.morning_summary), "note": "已开 / 应开"},
            {"label": "周例会", "value": _held(result.weekly_summary), "note": "已开 / 应开"},
            {
                "label": "月度总结例会",
                "value": _held(result.monthly_summary),
                "note": "已开 / 应开",
            },
            {"label": "缺开会议", "value": f"{result.missed_total} 次", "note": ""},
        ]
    else:
        absent = MeetingAttendee.objects.filter(
            person=person, present=False, meeting__team=team, meeting__date__range=(start, end)
        ).count()
        rows.append({"label": "缺席会议", "value": f"{absent} 次", "note": ""})
    rows.append(
        {
            "label": "会议待办事项",
            "value": f"{actions['done']} / {actions['total']} 已完成",
            "note": f"逾期未完成 {actions['overdue']} 项" if actions["overdue"] else "",
        }
    )
    return {"code": "meetings", "title": "例会", "rows": rows}
