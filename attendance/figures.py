"""Attendance figures beside a team's targets on its progress page and in
its analysis-report drafts (R-1.5 with R-8.4). Registered from
``attendance.home.register``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from attendance.models import AttendanceDay, AttendanceRecord, OutingSlip
from staff import calendar


def _days(value: Decimal | None) -> str:
    return f"{(value or Decimal(0)).normalize():f}"


def team_attendance(team, start: dt.date, end: dt.date, person=None) -> dict | None:
    """The roll over the period (to yesterday): days kept, attendance rate,
    lates, early leaves, 旷工, leave, overtime and outing slips. A
    constant handful of queries whatever the size of the team or period."""
    end = min(end, timezone.localdate() - dt.timedelta(days=1))  # today's roll is not due yet
    if end < start:
        return None
    records = AttendanceRecord.objects.filter(team=team, date__range=(start, end))
    slips = OutingSlip.objects.filter(team=team, planned_out__date__range=(start, end))
    if person is not None:
        records = records.filter(person=person)
        slips = slips.filter(person=person)
    totals = records.aggregate(
        recorded=Count("id"),
        present=Sum("present_days"),
        absent=Sum("absent_days"),
        leave=Sum("leave_days"),
        late=Count("id", filter=Q(late_minutes__gt=0)),
        early=Count("id", filter=Q(early_minutes__gt=0)),
        left_post=Count("id", filter=Q(left_post=True)),
        overtime=Sum("overtime_hours"),
    )
    if not totals["recorded"]:
        return {
            "code": "attendance",
            "title": "考勤",
            "rows": [{"label": "考勤记录", "value": "本期无记录", "note": ""}],
        }
    expected = totals["recorded"] - (totals["leave"] or 0)
    rate = f"{(totals['present'] or 0) * 100 / expected:.1f}%" if expected > 0 else "—"
    rows = [
        {"label": "出勤率", "value": rate, "note": f"出勤 {_days(totals['present'])} 人日"},
        {"label": "迟到", "value": f"{totals['late']} 次", "note": ""},
        {"label": "早退", "value": f"{totals['early']} 次", "note": ""},
        {"label": "旷工", "value": f"{_days(totals['absent'])} 天", "note": ""},
        {"label": "擅自离岗", "value": f"{totals['left_post']} 次", "note": ""},
        {"label": "请假", "value": f"{_days(totals['leave'])} 天", "note": ""},
        {"label": "加班", "value": f"{_days(totals['overtime'])} 小时", "note": ""},
        {"label": "外出单", "value": f"{slips.count()} 张", "note": ""},
    ]
    if person is None:
        due = len(calendar.working_days(start, end))
        kept = AttendanceDay.objects.filter(team=team, date__range=(start, end)).count()
        rows.insert(
            0, {"label": "考勤记录天数", "value": f"{kept} / {due}", "note": "已记录 / 应记录"}
        )
    return {"code": "attendance", "title": "考勤", "rows": rows}
