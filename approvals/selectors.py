"""Reads for the to-do inbox, request pages, the 会签单 and other apps."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from approvals.models import Action, CarbonCopy, Deputy, Notice, Request, StepRun, Task
from approvals.registry import adapter_for
from portal.registry import SearchHit
from staff.access import scope_for
from staff.models import Role


def principals_of(user) -> list[int]:
    """People whose tasks ``user`` receives as their deputy today."""
    return list(
        Deputy.objects.in_force(timezone.localdate())
        .filter(deputy=user)
        .values_list("principal_id", flat=True)
    )


def _task_q(user, principals: list[int]) -> Q:
    q = Q(user=user)
    departments = scope_for(user).ids(Role.HQ_MEMBER)
    if departments:
        q |= Q(department_id__in=departments)
    if principals:
        q |= Q(user_id__in=principals)
    return q


def request_visibility_q(user) -> Q:
    scope = scope_for(user)
    if scope.sees_everything:
        return Q()
    tasks = Task.objects.filter(_task_q(user, principals_of(user)) | Q(acted_by=user))
    return (
        Q(submitter=user)
        | Q(pk__in=tasks.values("request_id"))
        | Q(pk__in=CarbonCopy.objects.filter(user=user).values("request_id"))
        | scope.stamped_q(person="submitter", group="group", outlet=None)
    )


def inbox(user) -> QuerySet[Task]:
    """我的待办: open tasks for him, his departments and those he deputises."""
    return (
        Task.objects.filter(status=Task.Status.OPEN, request__state=Request.State.PENDING)
        .filter(_task_q(user, principals_of(user)))
        .exclude(request__submitter=user)
        .select_related(
            "request__submitter",
            "request__flow",
            "request__team",
            "request__branch",
            "step_run__step",
            "user",
            "department",
        )
        .order_by("created_at", "id")
    )


# An open task older than this many working days is overdue: it is flagged
# on the home page and ``send_reminders`` reminds whoever must act.
OVERDUE_WORKING_DAYS = 2


def mark_waited(tasks, today) -> None:
    """Sets ``task.waited``: working days since the task opened (the day it
    opened not counted), in one query for all of them."""
    from staff.calendar import working_days

    tasks = list(tasks)
    if not tasks:
        return
    opened = [timezone.localtime(t.created_at).date() for t in tasks]
    days = working_days(min(opened) + dt.timedelta(days=1), today)
    for task, day in zip(tasks, opened, strict=True):
        task.waited = sum(1 for d in days if d > day)
        task.overdue = task.waited > OVERDUE_WORKING_DAYS


def overdue_tasks(today):
    """Open tasks that have waited more than OVERDUE_WORKING_DAYS working
    days, with their assignees (for reminders)."""
    from staff.calendar import working_days

    # A task opened before the (N+1)-th last working day up to today has
    # waited at least N+1 working days (the opening day not counted).
    days = working_days(today - dt.timedelta(days=40), today)
    if len(days) <= OVERDUE_WORKING_DAYS:
        return Task.objects.none()
    cutoff = days[-(OVERDUE_WORKING_DAYS + 1)]
    return (
        Task.objects.filter(
            status=Task.Status.OPEN,
            request__state=Request.State.PENDING,
            created_at__date__lt=cutoff,
        )
        .select_related("request", "user", "department", "step_run__step")
        .order_by("created_at", "id")
    )


def inbox_count(user) -> int:
    return inbox(user).count()


def submitted_by(user) -> QuerySet[Request]:
    """我发起的."""
    return (
        Request.objects.filter(submitter=user)
        .select_related("flow", "current_step", "submitter", "team")
        .order_by("-submitted_at", "-id")
    )


def handled_by(user) -> QuerySet[Request]:
    """我已办: requests he acted on (as himself, a deputy or for his department)."""
    acted = Action.objects.filter(request=OuterRef("pk"), actor=user).exclude(
        kind__in=[Action.Kind.SUBMIT, Action.Kind.RESUBMIT]
    )
    return (
        Request.objects.filter(Exists(acted))
        .select_related("flow", "current_step", "submitter", "team")
        .order_by("-submitted_at", "-id")
    )


def copied_to(user) -> QuerySet[Request]:
    return (
        Request.objects.filter(ccs__user=user)
        .select_related("flow", "current_step", "submitter", "team")
        .order_by("-submitted_at", "-id")
    )


def request_detail(user, pk: int) -> Request:
    return get_object_or_404(
        Request.objects.visible_to(user).select_related(
            "flow", "submitter", "prepared_by", "branch", "team", "current_step", "content_type"
        ),
        pk=pk,
    )


def timeline(request: Request) -> QuerySet[Action]:
    return request.actions.select_related("actor", "on_behalf_of", "department", "step").order_by(
        "created_at", "id"
    )


def step_runs(request: Request) -> QuerySet[StepRun]:
    return request.step_runs.select_related("step").prefetch_related(
        "tasks__user", "tasks__department", "tasks__acted_by"
    )


def open_tasks_for(user, request: Request) -> list[Task]:
    """The request's open tasks this user could act on (for the action forms)."""
    from approvals.permissions import can_act

    tasks = request.tasks.filter(status=Task.Status.OPEN).select_related(
        "step_run__step", "user", "department", "acted_by"
    )
    return [t for t in tasks if can_act(user, t, request)]


def request_for(subject) -> Request | None:
    return (
        Request.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
        )
        .select_related("current_step")
        .first()
    )


def is_locked(subject) -> bool:
    """A subject is read-only while its request is pending and after approval."""
    request = request_for(subject)
    return request is not None and request.state in (Request.State.PENDING, Request.State.APPROVED)


def unread_notices(user) -> int:
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def notices_for(user) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).order_by("-created_at", "-id")


def countersign_rows(request: Request) -> list[dict]:
    """One row per signature on the 会签单: step, who, for whom, opinion, when."""
    kinds = {
        Action.Kind.SUBMIT,
        Action.Kind.RESUBMIT,
        Action.Kind.APPROVE,
        Action.Kind.REJECT,
        Action.Kind.RETURN,
        Action.Kind.WITHDRAW,
        Action.Kind.ADD_BEFORE,
        Action.Kind.ADD_AFTER,
        Action.Kind.TRANSFER,
    }
    rows = []
    for action in timeline(request):
        if action.kind not in kinds:
            continue
        rows.append(
            {
                "round": action.round,
                "step": (
                    "申请人报送"
                    if action.kind in (Action.Kind.SUBMIT, Action.Kind.RESUBMIT)
                    else action.step.name
                    if action.step
                    else ""
                ),
                "unit": action.department.name if action.department else "",
                "who": action.actor.name if action.actor else "系统",
                "deputy_for": action.on_behalf_of.name if action.on_behalf_of else "",
                "kind": action.get_kind_display(),
                "opinion": action.opinion,
                "targets": "、".join(action.targets),
                "when": action.created_at,
            }
        )
    return rows


def countersign_heading(request: Request) -> str:
    """The 会签单's heading, as the subject's app names it."""
    return adapter_for(request.subject).countersign_heading(request.subject, request)


def last_resubmitted_at(request: Request):
    """When the latest round was resubmitted (None in the first round)."""
    return (
        request.actions.filter(kind=Action.Kind.RESUBMIT)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )


def subject_ids_routed_to(user, model) -> list[int]:
    """Ids of ``model`` subjects whose request reached this user: a task for
    him, his department or someone he deputises, one he acted on, or a copy."""
    content_type = ContentType.objects.get_for_model(model)
    routed = Task.objects.filter(_task_q(user, principals_of(user)) | Q(acted_by=user)).filter(
        request__content_type=content_type
    )
    ids = set(routed.values_list("request__object_id", flat=True))
    ids |= set(
        CarbonCopy.objects.filter(user=user, request__content_type=content_type).values_list(
            "request__object_id", flat=True
        )
    )
    return sorted(ids)


def search_requests(user, query: str, limit: int):
    """Documents taken through the engine (plans, leave, pay sheets …) by
    title or number, among those the user may see (nav search)."""
    match = Q(title__icontains=query)
    if query.isdigit():
        match |= Q(pk=int(query))
    rows = (
        Request.objects.filter(request_visibility_q(user))
        .filter(match)
        .select_related("submitter")
        .order_by("-submitted_at", "-pk")[:limit]
    )
    return [
        SearchHit(
            title=f"{r.title}",
            url=r.get_absolute_url(),
            detail=f"第 {r.pk} 号 · {r.submitter.name} · {r.get_state_display()}",
        )
        for r in rows
    ]
