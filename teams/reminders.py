"""Work-log reminders (R-1.6 with R-8.4). ``send_reminders`` runs in the
afternoon: each member who has not filed today's 工作日志 (and is not on
leave all day) is told before the day ends, since a day's log can be filed
only on that day; each team leader is told who left the previous working day
without a log."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.urls import reverse

from attendance import selectors as attendance
from portal.registry import Reminder
from staff import calendar
from staff.models import User
from staff.selectors import team_leader
from teams.models import WorkLog


def _members(day: dt.date):
    return User.objects.filter(
        team__isnull=False,
        is_active=True,
        status__in=(User.Status.ACTIVE, User.Status.LEAVING),
    ).exclude(hired_on__gt=day)


def _without_log(day: dt.date) -> list[User]:
    """Members without a log on ``day``, leaving out those on leave all day."""
    people = list(
        _members(day)
        .exclude(pk__in=WorkLog.objects.filter(date=day).values("person_id"))
        .select_related("team")
        .order_by("team_id", "employee_no")
    )
    away = {
        leave.person_id
        for leave in attendance.approved_leaves([p.pk for p in people], day, day)
        if attendance.leave_on(leave, day)[0] >= Decimal(1)
    }
    return [p for p in people if p.pk not in away]


def _previous_working_day(today: dt.date) -> dt.date | None:
    days = calendar.working_days(today - dt.timedelta(days=15), today - dt.timedelta(days=1))
    return days[-1] if days else None


def missing_work_logs(today: dt.date):
    url = reverse("teams:worklog_today")
    if calendar.is_working_day(today):
        people = _without_log(today)
        if people:
            yield Reminder(
                users=tuple(people),
                title=f"今天（{today:%m月%d日}）的工作日志还没有填写",
                body="工作日志只能在当天填写，请在下班前完成。",
                url=url,
                key=f"worklog-today:{today:%Y%m%d}",
            )
    day = _previous_working_day(today)
    if day is None:
        return
    by_team = defaultdict(list)
    for person in _without_log(day):
        by_team[person.team].append(person)
    for team, people in by_team.items():
        leader = team_leader(team)
        if leader is None:
            continue
        names = "、".join(p.name for p in people[:10])
        more = f"等 {len(people)} 人" if len(people) > 10 else f"共 {len(people)} 人"
        yield Reminder(
            users=(leader,),
            title=f"{team.name}：{day:%m月%d日} 有 {len(people)} 人未填工作日志",
            body=f"{names}{more}。",
            url=reverse("teams:worklog_missing", args=[team.pk]),
            key=f"worklog-missing:{team.pk}:{day:%Y%m%d}",
        )
