"""Every action on a request. Each locks the request row first
(``select_for_update``), re-reads the task under the lock and checks it is
still the actor's to act on, so a double click, a stale page or two
countersigners at the same instant cannot skip, repeat or lose a step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from approvals import notify as notices
from approvals.models import (
    Action,
    CarbonCopy,
    ChosenParticipant,
    Deputy,
    Flow,
    FlowStep,
    Request,
    StepRun,
    Task,
)
from approvals.permissions import can_remind, can_resubmit, can_withdraw, capacity, why_cannot_act
from approvals.registry import adapter_for
from approvals.resolution import barred, resolve
from staff.models import Department, Role, RoleAssignment, User, in_force_q

# The concurrency test removes the lock to show the race it prevents.
_LOCK_REQUESTS = True


def _after_step_check(run: StepRun) -> None:
    """A seam for the concurrency test: runs after the actor's own task was
    written and the step has looked for tasks still open. Without the
    request lock, two countersigners who both get here have each seen the
    other's task open (neither had committed), and the step is never
    completed."""


TRANSITIONS = {
    Request.State.PENDING: {
        Request.State.APPROVED,
        Request.State.REJECTED,
        Request.State.WITHDRAWN,
    },
    Request.State.REJECTED: {Request.State.PENDING},
    Request.State.WITHDRAWN: {Request.State.PENDING},
    Request.State.APPROVED: set(),
}


def _move(request: Request, state: str) -> None:
    if state not in TRANSITIONS[request.state]:
        raise ValidationError(
            f"审批单不能从“{request.get_state_display()}”变为“{Request.State(state).label}”。"
        )
    request.state = state


def _lock(request_id: int) -> Request:
    queryset = Request.objects.select_related("flow")
    if _LOCK_REQUESTS:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=request_id)


def _fresh_task(task_id: int) -> Task:
    return Task.objects.select_related("step_run__step", "user", "department", "acted_by").get(
        pk=task_id
    )


def latest_flow(code: str) -> Flow:
    flow = Flow.objects.filter(code=code, is_active=True).order_by("-version").first()
    if flow is None:
        raise ValidationError(f"审批流程“{code}”不存在或未启用。")
    return flow


def _record(
    request: Request,
    kind: str,
    *,
    actor=None,
    task=None,
    step=None,
    opinion="",
    targets=(),
    on_behalf_of=None,
    department=None,
    summary=(),
) -> Action:
    return Action.objects.create(
        request=request,
        task=task,
        step=step or (task.step_run.step if task else None),
        round=request.round,
        kind=kind,
        actor=actor,
        on_behalf_of=on_behalf_of,
        department=department,
        opinion=opinion,
        targets=list(targets),
        summary=list(summary),
    )


def _notify_open(request: Request, tasks: Iterable[Task], title: str) -> None:
    today = timezone.localdate()
    people = [p for t in tasks if t.status == Task.Status.OPEN for p in notices.people_of(t, today)]
    notices.notify(
        people,
        title=title,
        body=f"申请人：{request.submitter.name}",
        url=request.get_absolute_url(),
    )


# -- starting and finishing steps ---------------------------------------------


def _start_step(request: Request, step: FlowStep, actor) -> StepRun:
    """Resolves the step's participants and opens their tasks. The holders
    of one post share a position: any one of them acts for the post. In a
    依次 step the positions open one after another."""
    now = timezone.now()
    participants = resolve(step, request, timezone.localdate())
    run = StepRun.objects.create(request=request, step=step, round=request.round, started_at=now)
    tasks = []
    for index, group in enumerate(_posts(participants)):
        queued = step.mode == FlowStep.Mode.SEQUENTIAL and index > 0
        for p in group:
            tasks.append(
                Task.objects.create(
                    request=request,
                    step_run=run,
                    user=p.user,
                    department=p.department,
                    position=(index + 1) * 10,
                    status=Task.Status.QUEUED if queued else Task.Status.OPEN,
                    escalated_from=p.escalated_from,
                )
            )
        escalated = [p for p in group if p.escalated_from]
        if escalated:
            names = "、".join(p.user.name for p in escalated)
            _record(
                request,
                Action.Kind.ESCALATE,
                step=step,
                opinion=f"{escalated[0].escalated_from}空缺或为申请人本人，上提一级由{names}审批。",
                targets=[p.user.name for p in escalated],
            )
    request.current_step = step
    request.save(update_fields=["current_step"])
    _notify_open(request, tasks, f"待审批：{request.title}（{step.name}）")
    return run


def _posts(participants) -> list[list]:
    """Groups the holders of one post (a role resolved over a unit) together;
    every department or named person is a post of its own."""
    groups: list[list] = []
    role_group: list = []
    for p in participants:
        if p.user is not None and p.post:
            role_group.append(p)
        else:
            groups.append([p])
    if role_group:
        groups.insert(0, role_group)
    return groups


def _finish(request: Request, actor) -> None:
    _move(request, Request.State.APPROVED)
    request.current_step = None
    request.ended_at = timezone.now()
    request.save(update_fields=["state", "current_step", "ended_at"])
    _record(request, Action.Kind.FINISH, opinion="流程结束，审批通过。")
    adapter = adapter_for(request.subject)
    adapter.on_approved(request.subject, request, actor)
    told = [request.submitter, *adapter.notify_on_approval(request.subject, request)]
    notices.notify(told, title=f"已审批通过：{request.title}", url=request.get_absolute_url())


def _advance(request: Request, run: StepRun, actor) -> None:
    """Opens the next post in a 依次 step, or completes the step and starts the next."""
    still_open = run.tasks.filter(status__in=(Task.Status.OPEN, Task.Status.WAITING)).exists()
    _after_step_check(run)
    if still_open:
        return
    queued = run.tasks.filter(
        status=Task.Status.QUEUED, origin__in=(Task.Origin.RESOLVED, Task.Origin.TRANSFER)
    ).order_by("position", "id")
    first = queued.first()
    if first is not None:
        opened = list(queued.filter(position=first.position))
        queued.filter(position=first.position).update(status=Task.Status.OPEN)
        for t in opened:
            t.status = Task.Status.OPEN
        _notify_open(request, opened, f"待审批：{request.title}（{run.step.name}）")
        return
    run.status = StepRun.Status.COMPLETED
    run.ended_at = timezone.now()
    run.save(update_fields=["status", "ended_at"])
    following = request.flow.steps.filter(order__gt=run.step.order).order_by("order").first()
    if following is None:
        _finish(request, actor)
    else:
        _start_step(request, following, actor)


def _close_run(run: StepRun, status: str, *, except_task: Task | None = None) -> None:
    run.tasks.filter(status__in=Task.OPEN_STATES).exclude(
        pk=getattr(except_task, "pk", None)
    ).update(status=Task.Status.CANCELLED)
    run.status = status
    run.ended_at = timezone.now()
    run.save(update_fields=["status", "ended_at"])


# -- submitting ---------------------------------------------------------------


@transaction.atomic
def submit_request(*, actor: User, subject, flow_code: str, opinion: str = "") -> Request:
    """Submits a subject for approval, or resubmits it after a rejection or
    withdrawal (a new round; every round is kept)."""
    adapter = adapter_for(subject)
    existing = Request.objects.filter(
        content_type__app_label=subject._meta.app_label,
        content_type__model=subject._meta.model_name,
        object_id=subject.pk,
    ).first()
    if existing is not None:
        return resubmit_request(actor=actor, request=existing, opinion=opinion)
    from django.contrib.contenttypes.models import ContentType

    flow = latest_flow(flow_code)
    first = flow.steps.order_by("order").first()
    if first is None:
        raise ValidationError(f"审批流程“{flow.name}”没有步骤。")
    stamp = adapter.stamp(subject, actor)
    summary = _summary_of(adapter, subject)
    request = Request.objects.create(
        flow=flow,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        title=adapter.title(subject),
        summary=summary,
        url=adapter.url(subject),
        submitter=actor,
        prepared_by=adapter.prepared_by(subject, actor),
        state=Request.State.PENDING,
        submitted_at=timezone.now(),
        **stamp,
    )
    _record(request, Action.Kind.SUBMIT, actor=actor, step=first, opinion=opinion, summary=summary)
    adapter.on_submitted(subject, request, actor)
    _start_step(request, first, actor)
    return request


def _summary_of(adapter, subject) -> list[list[str]]:
    return [[label, str(value)] for label, value in adapter.summary(subject)]


@transaction.atomic
def resubmit_request(*, actor: User, request: Request, opinion: str = "") -> Request:
    """A new round. ``submitted_at`` stays the first submission; each round's
    summary is kept on its resubmit action, the request shows the latest."""
    request = _lock(request.pk)
    if not can_resubmit(actor, request):
        if actor.pk != request.submitter_id:
            raise ValidationError("只有申请人本人可以重新提交。")
        raise ValidationError(f"该审批单{request.get_state_display()}，不能重新提交。")
    subject = request.subject
    adapter = adapter_for(subject)
    _move(request, Request.State.PENDING)
    request.round += 1
    request.title = adapter.title(subject)
    request.summary = _summary_of(adapter, subject)
    request.prepared_by = adapter.prepared_by(subject, actor)
    request.ended_at = None
    request.save()
    first = request.flow.steps.order_by("order").first()
    _record(
        request,
        Action.Kind.RESUBMIT,
        actor=actor,
        step=first,
        opinion=opinion,
        summary=request.summary,
    )
    adapter.on_submitted(subject, request, actor)
    _start_step(request, first, actor)
    return request


# -- acting on a task -----------------------------------------------------------


def _checked(actor: User, task_id: int) -> tuple[Request, Task, tuple]:
    """Locks the request, re-reads the task and checks the actor may act now."""
    request_id = Task.objects.values_list("request_id", flat=True).get(pk=task_id)
    request = _lock(request_id)
    task = _fresh_task(task_id)
    reason = why_cannot_act(actor, task, request)
    if reason:
        raise ValidationError(reason)
    return request, task, capacity(actor, task)


def _acted(task: Task, actor: User, status: str, opinion: str) -> None:
    task.status = status
    task.acted_by = actor
    task.acted_at = timezone.now()
    task.opinion = opinion
    task.save(update_fields=["status", "acted_by", "acted_at", "opinion"])


def _as(cap: tuple) -> dict:
    kind, who = cap
    if kind == "deputy":
        return {"on_behalf_of": who}
    if kind == "department":
        return {"department": who}
    return {}


def _choose_next(request: Request, step: FlowStep, actor: User, departments, users) -> list[str]:
    following = request.flow.steps.filter(order__gt=step.order).order_by("order").first()
    if following is None or following.rule != FlowStep.Rule.CHOSEN:
        raise ValidationError("流程配置错误：下一步不是“由上一步审批人指定”。")
    departments, users = list(departments or ()), list(users or ())
    if step.choice_kind == FlowStep.ChoiceKind.DEPARTMENTS:
        if not departments:
            raise ValidationError({"departments": "请至少指定一个会签部门。"})
        users = []
    else:
        if not users:
            raise ValidationError({"users": "请至少指定一名审批人。"})
        departments = []
        # Refused here rather than escalated: the approver named these
        # people on purpose, so he is asked to choose again.
        for u in users:
            if u.pk == request.submitter_id:
                raise ValidationError(
                    {"users": f"{u.name} 是申请人本人，不能审批本人的申请，请另选他人。"}
                )
            if following.four_eyes and u.pk == request.prepared_by_id:
                raise ValidationError(
                    {
                        "users": f"{u.name} 是材料编制人，“{following.name}”须由他人办理（四眼原则），请另选他人。"
                    }
                )
    ChosenParticipant.objects.filter(
        request=request, step=following, round=request.round, active=True
    ).update(active=False)
    ChosenParticipant.objects.bulk_create(
        [
            ChosenParticipant(
                request=request, step=following, round=request.round, department=d, chosen_by=actor
            )
            for d in departments
        ]
        + [
            ChosenParticipant(
                request=request, step=following, round=request.round, user=u, chosen_by=actor
            )
            for u in users
        ]
    )
    return [d.name for d in departments] + [u.name for u in users]


@transaction.atomic
def approve_task(
    *,
    actor: User,
    task: Task,
    opinion: str = "",
    departments: Iterable[Department] = (),
    users: Iterable[User] = (),
) -> Request:
    """同意. On a step that names the next step's participants, they must be given."""
    request, task, cap = _checked(actor, task.pk)
    run = task.step_run
    step = run.step
    targets = []
    if step.choice_kind:
        targets = _choose_next(request, step, actor, departments, users)
    _acted(task, actor, Task.Status.APPROVED, opinion)
    _record(
        request,
        Action.Kind.APPROVE,
        actor=actor,
        task=task,
        opinion=opinion,
        targets=targets,
        **_as(cap),
    )
    adapter_for(request.subject).on_signed(request.subject, request, task, actor)
    after = run.tasks.filter(
        added_by_task=task, origin=Task.Origin.ADDED_AFTER, status=Task.Status.QUEUED
    )
    if task.origin in (Task.Origin.RESOLVED, Task.Origin.TRANSFER):
        # One holder acts for his post; in 或签 one approval settles the step.
        others = run.tasks.filter(
            status__in=Task.OPEN_STATES, origin__in=(Task.Origin.RESOLVED, Task.Origin.TRANSFER)
        ).exclude(pk=task.pk)
        if step.mode != FlowStep.Mode.ANY:
            others = others.filter(position=task.position)
        others.update(status=Task.Status.CANCELLED)
    if after.exists():
        opened = list(after)
        after.update(status=Task.Status.OPEN)
        for t in opened:
            t.status = Task.Status.OPEN
        _notify_open(request, opened, f"待审批（加签）：{request.title}")
        return request
    if task.origin == Task.Origin.ADDED_BEFORE and task.added_by_task_id:
        waiting = Task.objects.get(pk=task.added_by_task_id)
        if waiting.status == Task.Status.WAITING:
            waiting.status = Task.Status.OPEN
            waiting.save(update_fields=["status"])
            _notify_open(request, [waiting], f"加签人已同意，请继续审批：{request.title}")
            return request
    _advance(request, run, actor)
    return request


@transaction.atomic
def reject_task(*, actor: User, task: Task, opinion: str) -> Request:
    """不同意: back to the submitter, who may amend and resubmit."""
    if not opinion.strip():
        raise ValidationError({"opinion": "不同意时必须填写意见。"})
    request, task, cap = _checked(actor, task.pk)
    _acted(task, actor, Task.Status.REJECTED, opinion)
    _close_run(task.step_run, StepRun.Status.REJECTED, except_task=task)
    _move(request, Request.State.REJECTED)
    request.current_step = None
    request.ended_at = timezone.now()
    request.save(update_fields=["state", "current_step", "ended_at"])
    _record(request, Action.Kind.REJECT, actor=actor, task=task, opinion=opinion, **_as(cap))
    adapter_for(request.subject).on_rejected(request.subject, request, actor)
    notices.notify(
        [request.submitter],
        title=f"被退回：{request.title}",
        body=f"意见：{opinion}",
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def return_task(*, actor: User, task: Task, to_step: FlowStep, opinion: str) -> Request:
    """退回 to an earlier step, which starts again with its participants re-resolved."""
    if not opinion.strip():
        raise ValidationError({"opinion": "退回时必须填写意见。"})
    request, task, cap = _checked(actor, task.pk)
    current = task.step_run.step
    if to_step.flow_id != request.flow_id or to_step.order >= current.order:
        raise ValidationError({"to_step": "只能退回到本步骤之前的步骤。"})
    _acted(task, actor, Task.Status.RETURNED, opinion)
    _close_run(task.step_run, StepRun.Status.RETURNED, except_task=task)
    _record(
        request,
        Action.Kind.RETURN,
        actor=actor,
        task=task,
        opinion=opinion,
        targets=[to_step.name],
        **_as(cap),
    )
    _start_step(request, to_step, actor)
    notices.notify(
        [request.submitter],
        title=f"已退回至“{to_step.name}”：{request.title}",
        body=f"意见：{opinion}",
        url=request.get_absolute_url(),
    )
    return request


def transfer_candidates(task: Task) -> list[User]:
    """Colleagues entitled to the step: people holding one of the task
    holder's posts over the same unit today."""
    if task.department_id or task.user_id is None:
        return []
    today = timezone.localdate()
    posts = RoleAssignment.objects.filter(in_force_q(today), user_id=task.user_id).values_list(
        "role", "branch_id", "team_id", "group_id", "department_id"
    )
    query = Q(pk__in=[])
    for role, branch, team, group, department in posts:
        if role == Role.HQ_MEMBER:
            continue
        query |= Q(
            role=role, branch_id=branch, team_id=team, group_id=group, department_id=department
        )
    ids = (
        RoleAssignment.objects.filter(in_force_q(today))
        .filter(query)
        .values_list("user_id", flat=True)
    )
    busy = task.step_run.tasks.filter(status__in=Task.OPEN_STATES, user__isnull=False).values(
        "user_id"
    )
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .exclude(pk__in=[task.user_id, *barred(task.step_run.step, task.request)])
        .exclude(pk__in=busy)
        .order_by("employee_no")
    )


@transaction.atomic
def transfer_task(*, actor: User, task: Task, to_user: User, opinion: str = "") -> Task:
    """转交: hands my task to a colleague entitled to the step."""
    request, task, cap = _checked(actor, task.pk)
    if task.department_id:
        raise ValidationError("部门任务由部门任一成员办理，无需转交。")
    if to_user not in transfer_candidates(task):
        raise ValidationError({"to_user": f"{to_user.name} 不是同岗位的同事，不能转交给他。"})
    _acted(task, actor, Task.Status.TRANSFERRED, opinion)
    new = Task.objects.create(
        request=request,
        step_run=task.step_run,
        user=to_user,
        position=task.position,
        origin=Task.Origin.TRANSFER,
        added_by_task=task,
        status=Task.Status.OPEN,
    )
    # Signers added after the old task now follow the new one.
    Task.objects.filter(added_by_task=task, origin=Task.Origin.ADDED_AFTER).update(
        added_by_task=new
    )
    _record(
        request,
        Action.Kind.TRANSFER,
        actor=actor,
        task=task,
        opinion=opinion,
        targets=[to_user.name],
        **_as(cap),
    )
    _notify_open(request, [new], f"转交给您审批：{request.title}")
    return new


@transaction.atomic
def add_signer(*, actor: User, task: Task, user: User, before: bool, opinion: str = "") -> Task:
    """加签: someone signs before me (my task waits) or after me."""
    request, task, cap = _checked(actor, task.pk)
    if user.pk in (actor.pk, request.submitter_id) or (task.user_id and user.pk == task.user_id):
        raise ValidationError({"user": "不能加签本人或申请人。"})
    if user.pk in barred(task.step_run.step, request):
        raise ValidationError(
            {"user": f"{user.name} 是材料编制人，本步骤须由他人办理（四眼原则）。"}
        )
    if not user.is_active:
        raise ValidationError({"user": f"{user.name} 的账号已停用。"})
    if task.step_run.tasks.filter(user=user, status__in=Task.OPEN_STATES).exists():
        raise ValidationError({"user": f"{user.name} 已在本步骤的审批人中。"})
    new = Task.objects.create(
        request=request,
        step_run=task.step_run,
        user=user,
        position=task.position + (-1 if before else 1),
        origin=Task.Origin.ADDED_BEFORE if before else Task.Origin.ADDED_AFTER,
        added_by_task=task,
        status=Task.Status.OPEN if before else Task.Status.QUEUED,
    )
    if before:
        task.status = Task.Status.WAITING
        task.save(update_fields=["status"])
        _notify_open(request, [new], f"加签请您审批：{request.title}")
    kind = Action.Kind.ADD_BEFORE if before else Action.Kind.ADD_AFTER
    _record(request, kind, actor=actor, task=task, opinion=opinion, targets=[user.name], **_as(cap))
    return new


# -- the submitter and onlookers ------------------------------------------------


@transaction.atomic
def withdraw_request(*, actor: User, request: Request, opinion: str = "") -> Request:
    """撤回: only before anyone has acted in this round."""
    request = _lock(request.pk)
    if not can_withdraw(actor, request):
        raise ValidationError("只有申请人可以撤回审批中的申请。")
    acted = request.actions.filter(
        round=request.round,
        kind__in=[
            Action.Kind.APPROVE,
            Action.Kind.REJECT,
            Action.Kind.RETURN,
            Action.Kind.TRANSFER,
            Action.Kind.ADD_BEFORE,
            Action.Kind.ADD_AFTER,
        ],
    ).exists()
    if acted:
        raise ValidationError("已有审批人办理，不能撤回。如需修改，请联系当前审批人退回。")
    run = request.step_runs.get(status=StepRun.Status.ACTIVE)
    _close_run(run, StepRun.Status.CANCELLED)
    _move(request, Request.State.WITHDRAWN)
    request.current_step = None
    request.ended_at = timezone.now()
    request.save(update_fields=["state", "current_step", "ended_at"])
    _record(request, Action.Kind.WITHDRAW, actor=actor, opinion=opinion)
    adapter_for(request.subject).on_withdrawn(request.subject, request, actor)
    return request


@transaction.atomic
def comment_request(*, actor: User, request: Request, opinion: str) -> Action:
    if not opinion.strip():
        raise ValidationError({"opinion": "请填写评论内容。"})
    request = _lock(request.pk)
    action = _record(request, Action.Kind.COMMENT, actor=actor, opinion=opinion)
    if actor.pk != request.submitter_id:
        notices.notify(
            [request.submitter],
            title=f"{actor.name} 评论了：{request.title}",
            body=opinion,
            url=request.get_absolute_url(),
        )
    return action


@transaction.atomic
def cc_request(
    *, actor: User, request: Request, users: Iterable[User], opinion: str = ""
) -> list[CarbonCopy]:
    """抄送: the submitter or a participant copies the request to others."""
    request = _lock(request.pk)
    is_participant = request.tasks.filter(Q(user=actor) | Q(acted_by=actor)).exists()
    if actor.pk != request.submitter_id and not is_participant:
        raise ValidationError("只有申请人或审批人可以抄送。")
    users = [u for u in users if u.pk != actor.pk]
    if not users:
        raise ValidationError({"users": "请选择抄送对象。"})
    existing = set(request.ccs.values_list("user_id", flat=True))
    created = [
        CarbonCopy.objects.create(request=request, user=u, by=actor)
        for u in users
        if u.pk not in existing
    ]
    _record(request, Action.Kind.CC, actor=actor, opinion=opinion, targets=[u.name for u in users])
    notices.notify(
        users,
        title=f"{actor.name} 抄送给您：{request.title}",
        body=opinion,
        url=request.get_absolute_url(),
    )
    return created


@transaction.atomic
def remind_request(*, actor: User, request: Request) -> list:
    """催办: the submitter reminds whoever must act, at most once a day."""
    request = _lock(request.pk)
    if not can_remind(actor, request):
        raise ValidationError("只有申请人可以催办审批中的申请。")
    start_of_day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    if request.actions.filter(kind=Action.Kind.REMIND, created_at__gte=start_of_day).exists():
        raise ValidationError("今天已经催办过了，请明天再催。")
    today = timezone.localdate()
    open_tasks = list(
        request.tasks.filter(status=Task.Status.OPEN).select_related("user", "department")
    )
    people = [p for t in open_tasks for p in notices.people_of(t, today)]
    _record(
        request, Action.Kind.REMIND, actor=actor, targets=[t.assignee_label for t in open_tasks]
    )
    return notices.notify(
        people,
        title=f"催办：{request.title}",
        body=f"{actor.name} 提醒您尽快审批。",
        url=request.get_absolute_url(),
    )


# -- deputies -------------------------------------------------------------------


@transaction.atomic
def set_deputy(
    *,
    actor: User,
    principal: User,
    deputy: User,
    valid_from: dt.date,
    valid_to: dt.date,
    reason: str = "",
    source: str = Deputy.Source.MANUAL,
) -> Deputy:
    """代理人 for a date range (``valid_to`` is the first day he is back)."""
    if principal.pk == deputy.pk:
        raise ValidationError({"deputy": "代理人不能是本人。"})
    if valid_to <= valid_from:
        raise ValidationError({"valid_to": "结束日期必须晚于开始日期。"})
    overlapping = Deputy.objects.select_for_update().filter(
        principal=principal, valid_from__lt=valid_to, valid_to__gt=valid_from
    )
    if overlapping.exists():
        raise ValidationError("该期间已设置了代理人，请先结束原代理。")
    item = Deputy(
        principal=principal,
        deputy=deputy,
        valid_from=valid_from,
        valid_to=valid_to,
        reason=reason,
        source=source,
        created_by=actor,
    )
    item.full_clean()
    item.save()
    notices.notify(
        [deputy],
        title=f"您被设为 {principal.name} 的审批代理人",
        body=f"{valid_from} 至 {valid_to - dt.timedelta(days=1)}：{reason}".strip("："),
    )
    return item


@transaction.atomic
def end_deputy(*, actor: User, item: Deputy, on: dt.date | None = None) -> Deputy:
    on = on or timezone.localdate()
    item = Deputy.objects.select_for_update().get(pk=item.pk)
    if actor.pk not in (item.principal_id, item.created_by_id) and not actor.is_superuser:
        raise ValidationError("只有本人或设置人可以结束代理。")
    if item.valid_to <= on:
        raise ValidationError("该代理已经结束。")
    item.valid_to = max(on, item.valid_from + dt.timedelta(days=1))
    item.save(update_fields=["valid_to"])
    return item


# -- several at once --------------------------------------------------------------


@dataclass(frozen=True)
class BatchResult:
    task_id: int
    title: str
    ok: bool
    message: str


def batch_approve(*, actor: User, task_ids: Iterable[int], opinion: str = "") -> list[BatchResult]:
    """批量审批: each task in its own transaction; one failing leaves the others done."""
    results = []
    for task_id in task_ids:
        task = Task.objects.select_related("request", "step_run__step").filter(pk=task_id).first()
        if task is None:
            results.append(BatchResult(task_id, "", False, "任务不存在。"))
            continue
        if task.step_run.step.choice_kind:
            results.append(
                BatchResult(
                    task_id, task.request.title, False, "本步骤须指定下一步参与人，请逐件办理。"
                )
            )
            continue
        try:
            approve_task(actor=actor, task=task, opinion=opinion)
        except ValidationError as exc:
            results.append(BatchResult(task_id, task.request.title, False, "；".join(exc.messages)))
        else:
            results.append(BatchResult(task_id, task.request.title, True, "已同意"))
    return results
