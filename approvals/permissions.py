"""Who may act on a task or a request (pure predicates; the services
enforce them again under the request lock)."""

from __future__ import annotations

from django.utils import timezone

from approvals.models import Deputy, Request, Task
from staff.access import scope_for
from staff.models import Role


def capacity(user, task: Task) -> tuple[str, object] | None:
    """How ``user`` could act on ``task``: ("self", None), ("deputy",
    principal) or ("department", department); None when he cannot."""
    if task.department_id:
        if task.department_id in scope_for(user).ids(Role.HQ_MEMBER):
            return ("department", task.department)
        return None
    if task.user_id == user.pk:
        return ("self", None)
    today = timezone.localdate()
    if Deputy.objects.in_force(today).filter(principal_id=task.user_id, deputy=user).exists():
        return ("deputy", task.user)
    return None


def why_cannot_act(user, task: Task, request: Request) -> str:
    """The reason, in Chinese, why ``user`` may not act on ``task`` now ("" if he may)."""
    if request.state != Request.State.PENDING:
        return f"该审批单{request.get_state_display()}，不能再办理。"
    if task.status != Task.Status.OPEN:
        if task.status in (Task.Status.QUEUED, Task.Status.WAITING):
            return "尚未轮到您办理。"
        who = task.acted_by.name if task.acted_by_id else "他人"
        return f"该任务已由{who}办理（{task.get_status_display()}），请刷新页面。"
    if capacity(user, task) is None:
        return "您不是该步骤的审批人，不能办理。"
    if user.pk == request.submitter_id:
        return "不能审批本人提交的申请。"
    step = task.step_run.step
    if step.four_eyes and user.pk == request.prepared_by_id:
        return "本步骤须由材料编制人以外的人员办理（四眼原则）。"
    return ""


def can_act(user, task: Task, request: Request) -> bool:
    return not why_cannot_act(user, task, request)


def can_withdraw(user, request: Request) -> bool:
    return user.pk == request.submitter_id and request.state == Request.State.PENDING


def can_resubmit(user, request: Request) -> bool:
    return user.pk == request.submitter_id and request.state in (
        Request.State.REJECTED,
        Request.State.WITHDRAWN,
    )


def can_remind(user, request: Request) -> bool:
    return user.pk == request.submitter_id and request.state == Request.State.PENDING


def can_cc(user, request: Request, has_task: bool) -> bool:
    return user.pk == request.submitter_id or has_task
