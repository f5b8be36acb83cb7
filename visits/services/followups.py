"""督办 — whoever visits follows up (R-7.3): one function moves a follow-up
along the transition table in ``visits.rules``, writes a step row and keeps
the history."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals.notify import notify
from staff.models import User
from visits import rules
from visits.models import FollowUp, FollowUpStatus, FollowUpStep, HandlingDept, Visit
from visits.permissions import can_move_followup, can_raise_followup

S = FollowUpStatus


def _step(followup: FollowUp, *, actor, from_status: str, to_status: str, note: str = "") -> None:
    FollowUpStep.objects.create(
        followup=followup,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=timezone.now(),
        note=note,
    )


@transaction.atomic
def raise_followup(
    *,
    actor: User,
    visit: Visit,
    category: str,
    description: str,
    due_on: dt.date,
    department: str = "",
    department_note: str = "",
) -> FollowUp:
    """Records a problem the visit could not solve on the spot. The visitor
    owns it; naming the department it goes to forwards it at once."""
    if not can_raise_followup(actor, visit):
        raise ValidationError("只有走访人或其团队负责人可以登记督办事项。")
    today = timezone.localdate()
    if due_on < today:
        raise ValidationError({"due_on": "办结期限不能早于今天。"})
    owner = visit.visitor
    followup = FollowUp(
        visit=visit,
        client=visit.client,
        owner=owner,
        raised_by=actor,
        raised_on=today,
        category=category,
        description=description.strip(),
        department=department,
        department_note=department_note.strip(),
        due_on=due_on,
        status=S.OPEN,
    )
    followup.stamp_from(owner)
    followup.full_clean()
    followup._history_user = actor
    followup.save()
    _step(followup, actor=actor, from_status="", to_status=S.OPEN, note="登记督办事项")
    if department:
        followup.status = S.FORWARDED
        followup.save(update_fields=["status"])
        _step(
            followup,
            actor=actor,
            from_status=S.OPEN,
            to_status=S.FORWARDED,
            note=f"转{followup.get_department_display()}"
            + (f"（{followup.department_note}）" if followup.department_note else ""),
        )
    if owner.pk != actor.pk:
        notify(
            [owner],
            title=f"新的督办事项：{visit.client.name}",
            body=followup.description[:200],
            url=followup.get_absolute_url(),
        )
    return followup


@transaction.atomic
def move_followup(
    *,
    actor: User,
    followup: FollowUp,
    to_status: str,
    note: str = "",
    department: str = "",
    department_note: str = "",
    resolution: str = "",
    resolved_on: dt.date | None = None,
    informed_on: dt.date | None = None,
    informed_how: str = "",
    informed_note: str = "",
) -> FollowUp:
    """The one function that moves a follow-up. Refuses a move the table
    does not allow, and a close without how and when the client was told."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not can_move_followup(actor, followup):
        raise ValidationError("只有督办人（走访人）或其团队负责人、营业部领导可以办理。")
    current = followup.status
    if not rules.can_move(current, to_status):
        raise ValidationError(
            f"督办事项“{followup.get_status_display()}”，不能改为“{S(to_status).label}”。"
        )
    today = timezone.localdate()
    note = note.strip()
    if to_status == S.FORWARDED:
        if department not in HandlingDept.values:
            raise ValidationError({"department": "请选择转办部门。"})
        followup.department = department
        followup.department_note = department_note.strip()
        label = HandlingDept(department).label
        note = note or f"转{label}" + (f"（{department_note.strip()}）" if department_note else "")
    elif to_status == S.RESOLVED:
        if not resolution.strip():
            raise ValidationError({"resolution": "请填写处理结果。"})
        resolved_on = resolved_on or today
        if resolved_on > today or resolved_on < followup.raised_on:
            raise ValidationError({"resolved_on": "解决日期应在登记日期与今天之间。"})
        followup.resolution = resolution.strip()
        followup.resolved_on = resolved_on
    elif to_status == S.HANDLING and current == S.RESOLVED:
        if not note:
            raise ValidationError({"note": "重新处理须说明原因（如客户对结果有异议）。"})
        followup.resolved_on = None
    elif to_status == S.INFORMED:
        if not informed_how:
            raise ValidationError({"informed_how": "请选择告知客户的方式。"})
        if informed_on is None:
            raise ValidationError({"informed_on": "请填写告知客户的日期。"})
        if informed_on > today or informed_on < followup.resolved_on:
            raise ValidationError({"informed_on": "告知日期应在解决日期与今天之间。"})
        followup.informed_on = informed_on
        followup.informed_how = informed_how
        followup.informed_note = informed_note.strip()[:300]
        note = note or f"{informed_on:%Y-%m-%d} 以{followup.get_informed_how_display()}告知客户"
    elif to_status == S.CLOSED:
        # The table only reaches 办结 from 已告知客户; the fields are checked
        # again so no other road can close an untold follow-up.
        if followup.informed_on is None or not followup.informed_how:
            raise ValidationError("尚未记录何时、以何种方式告知客户处理结果，不能办结。")
        followup.closed_at = timezone.now()
    followup.status = to_status
    followup.full_clean()
    followup._history_user = actor
    followup._change_reason = note[:100]
    followup.save()
    _step(followup, actor=actor, from_status=current, to_status=to_status, note=note)
    if actor.pk != followup.owner_id:
        notify(
            [followup.owner],
            title=f"督办事项{S(to_status).label}：{followup.client.name}",
            body=f"{actor.name}：{note}"[:300],
            url=followup.get_absolute_url(),
        )
    return followup


@transaction.atomic
def extend_followup(*, actor: User, followup: FollowUp, due_on: dt.date, note: str) -> FollowUp:
    """Moves the due date (with a reason); the step log keeps the change."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    if not can_move_followup(actor, followup) or followup.status not in (
        S.OPEN,
        S.FORWARDED,
        S.HANDLING,
    ):
        raise ValidationError("该督办事项不能调整期限。")
    if not note.strip():
        raise ValidationError({"note": "请说明调整期限的原因。"})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": "新的期限不能早于今天。"})
    old = followup.due_on
    followup.due_on = due_on
    followup._history_user = actor
    followup._change_reason = note.strip()[:100]
    followup.save(update_fields=["due_on"])
    _step(
        followup,
        actor=actor,
        from_status=followup.status,
        to_status=followup.status,
        note=f"办结期限 {old:%Y-%m-%d} → {due_on:%Y-%m-%d}：{note.strip()}",
    )
    return followup


def hand_over_followups(*, actor: User, client, from_manager: User, to_manager: User) -> int:
    """Open follow-ups of a client move with it to its new owner (R-7.5).
    Called inside the reassignment's transaction."""
    moved = 0
    for followup in FollowUp.objects.select_for_update().filter(
        client=client, owner=from_manager, status__in=[s for s in S if s != S.CLOSED]
    ):
        followup.owner = to_manager
        followup.stamp_from(to_manager)
        followup._history_user = actor
        followup._change_reason = "客户移交"
        followup.save(update_fields=["owner", "branch", "team", "group", "outlet"])
        _step(
            followup,
            actor=actor,
            from_status=followup.status,
            to_status=followup.status,
            note=f"随客户移交：{from_manager.name} → {to_manager.name}",
        )
        moved += 1
    return moved
