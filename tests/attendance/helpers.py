"""Building blocks for attendance tests: frozen local time, days recorded
and leave approved through the real services."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from approvals import services as approvals
from approvals.models import Task
from approvals.selectors import request_for
from attendance.services import leave as leave_services
from attendance.services import roll as roll_services
from attendance.services.roll import RollEntry

TZ = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10, minute=0):
    """Freezes local (Asia/Shanghai) time."""
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=TZ), tick=False)


def local(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def save_day(org, day, entries=None, *, actor=None, team=None, reason=""):
    """Saves a team's roll for ``day`` as its recorder, the next morning."""
    following = day + dt.timedelta(days=1)
    with at(following.year, following.month, following.day, 9):
        return roll_services.save_roll(
            actor=actor or org.a_rec,
            team=team or org.team_a,
            day=day,
            entries=entries or {},
            reason=reason,
        )


def entry(**kwargs) -> RollEntry:
    return RollEntry(**kwargs)


def open_task(subject) -> Task:
    req = request_for(subject)
    tasks = list(req.tasks.filter(status=Task.Status.OPEN))
    assert len(tasks) == 1, tasks
    return tasks[0]


def approve(subject, actor=None):
    task = open_task(subject)
    return approvals.approve_task(actor=actor or task.user, task=task, opinion="同意")


def ask_leave(person, kind, start, end, *, when=None, **kwargs):
    """Files leave as ``person`` at ``when`` (default: the day before, 10:00)."""
    when = when or (start - dt.timedelta(days=1))
    with at(when.year, when.month, when.day, 10):
        return leave_services.submit_leave(
            actor=person, kind=kind, start_date=start, end_date=end, reason="家中有事", **kwargs
        )


def approved_leave(person, kind, start, end, **kwargs):
    leave = ask_leave(person, kind, start, end, **kwargs)
    when = start - dt.timedelta(days=1)
    with at(when.year, when.month, when.day, 11):
        approve(leave)
    leave.refresh_from_db()
    return leave
