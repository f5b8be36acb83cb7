"""Approvals waiting more than two working days (R-8.4): the assignee (or,
for a department's task, its members) is reminded once a day until he acts."""

from __future__ import annotations

from django.utils import timezone

from approvals import selectors
from approvals.notify import people_of
from portal.registry import Reminder


def overdue_approvals(today):
    for task in selectors.overdue_tasks(today):
        users = people_of(task, today)
        if not users:
            continue
        request = task.request
        yield Reminder(
            users=tuple(users),
            title=f"待审批已超过 {selectors.OVERDUE_WORKING_DAYS} 个工作日：{request}",
            body=(
                f"{task.step_run.step.name}，自 {timezone.localtime(task.created_at):%Y-%m-%d} "
                "起等待您处理，请尽快审批。"
            ),
            url=request.get_absolute_url(),
            key=f"approval-overdue:{task.pk}:{today:%Y%m%d}",
        )
