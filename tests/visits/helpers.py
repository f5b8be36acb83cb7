"""Building blocks for visits tests: frozen local time, and visits,
follow-ups and slips made through the real services."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from approvals import services as approvals
from approvals.models import Task
from approvals.selectors import request_for
from visits.services import followups as followup_services
from visits.services import visits as visit_services
from visits.services.visits import FollowUpInput

TZ = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(year, month, day, hour=10, minute=0):
    """Freezes local (Asia/Shanghai) time."""
    return time_machine.travel(dt.datetime(year, month, day, hour, minute, tzinfo=TZ), tick=False)


def local(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def visit(person, client, day, *, mode="onsite", when=None, confirm=True, **kwargs):
    """Files a visit as ``person`` at ``when`` (default: the day itself, 18:00)."""
    when = when or day
    with at(when.year, when.month, when.day, 18):
        return visit_services.file_visit(
            actor=person,
            client=client,
            visited_on=day,
            mode=mode,
            content=kwargs.pop("content", "介绍两融业务，了解客户资产配置需求。"),
            confirm_overlap=confirm,
            **kwargs,
        )


def followup_input(due_on, **kwargs) -> FollowUpInput:
    return FollowUpInput(
        category=kwargs.pop("category", "trading"),
        description=kwargs.pop("description", "客户反映交易软件行情刷新慢。"),
        due_on=due_on,
        **kwargs,
    )


def raise_followup(visit_obj, due_on, *, actor=None, when=None, **kwargs):
    when = when or visit_obj.visited_on
    with at(when.year, when.month, when.day, 19):
        return followup_services.raise_followup(
            actor=actor or visit_obj.visitor,
            visit=visit_obj,
            category=kwargs.pop("category", "account"),
            description=kwargs.pop("description", "客户要求修改预留手机号。"),
            due_on=due_on,
            **kwargs,
        )


def move(followup, to_status, when, *, actor=None, **kwargs):
    with at(when.year, when.month, when.day, 15):
        return followup_services.move_followup(
            actor=actor or followup.owner, followup=followup, to_status=to_status, **kwargs
        )


def resolve(followup, on, *, actor=None):
    """Takes a follow-up from open to resolved on ``on``."""
    followup = move(followup, "handling", on, actor=actor)
    return move(followup, "resolved", on, actor=actor, resolution="已办理完毕。")


def close(followup, on, *, how="phone"):
    """Tells the client on ``on`` and closes the follow-up."""
    followup = move(followup, "informed", on, informed_on=on, informed_how=how)
    return move(followup, "closed", on)


def open_task(subject) -> Task:
    req = request_for(subject)
    tasks = list(req.tasks.filter(status=Task.Status.OPEN))
    assert len(tasks) == 1, tasks
    return tasks[0]


def approve(subject, *, opinion="同意", actor=None):
    task = open_task(subject)
    return approvals.approve_task(actor=actor or task.user, task=task, opinion=opinion)


def reject(subject, *, opinion="请补充客户意见", actor=None):
    task = open_task(subject)
    return approvals.reject_task(actor=actor or task.user, task=task, opinion=opinion)


def slip(person, day, *, hour=10, hours=3):
    """An outing slip filed the same morning through the attendance service."""
    from attendance.services import outing

    with at(day.year, day.month, day.day, hour - 1):
        return outing.file_outing_slip(
            actor=person,
            destination="客户公司",
            visitee="客户",
            contact="13800000000",
            purpose="拜访客户",
            planned_out=local(day.year, day.month, day.day, hour),
            planned_back=local(day.year, day.month, day.day, hour + hours),
        )
