"""客户移交 (R-7.5): when a client manager leaves or moves, his leader hands
his clients to one or several colleagues. Ownership changes only through
``clients.services.assign_client`` (the dated history); open follow-ups and
planned visits move along with each client."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals.notify import notify
from clients.models import Client, ClientAssignment
from clients.services import assign_client
from staff.models import User
from visits.models import Reassignment, ReassignmentLine, VisitPlan
from visits.permissions import can_reassign
from visits.selectors.transfers import recipients_for, transferable_clients
from visits.services.followups import hand_over_followups


@transaction.atomic
def reassign_clients(
    *,
    actor: User,
    from_manager: User,
    moves: dict[int, User],
    effective_on: dt.date,
    reason: str,
) -> Reassignment:
    """Hands each client (id → new manager) over from ``effective_on``;
    all or nothing."""
    if not can_reassign(actor):
        raise ValidationError("只有团队负责人或营业部领导可以移交客户。")
    if not moves:
        raise ValidationError("请至少为一户客户选择接收人。")
    if not reason.strip():
        raise ValidationError({"reason": "请填写移交原因。"})
    today = timezone.localdate()
    if effective_on > today + dt.timedelta(days=31) or effective_on < today - dt.timedelta(days=31):
        raise ValidationError({"effective_on": "生效日期应在今天前后一个月内。"})
    allowed = {c.pk: c for c in transferable_clients(actor, from_manager).filter(pk__in=moves)}
    missing = set(moves) - set(allowed)
    if missing:
        raise ValidationError(
            f"有 {len(missing)} 户客户不在您可移交的范围内，或已不属于该客户经理。"
        )
    recipients = {u.pk for u in recipients_for(actor, from_manager)}
    for target in {u.pk: u for u in moves.values()}.values():
        if target.pk not in recipients:
            raise ValidationError(f"{target.name} 不能接收客户（须为您管理范围内的在岗人员）。")
    batch = Reassignment(
        from_manager=from_manager,
        effective_on=effective_on,
        reason=reason.strip()[:200],
        created_by=actor,
        branch_id=from_manager.branch_id or actor.branch_id,
        team_id=from_manager.team_id,
    )
    batch.full_clean()
    batch.save()
    lines = []
    followups = 0
    received: Counter = Counter()
    for client_id, target in moves.items():
        client = allowed[client_id]
        assignment = assign_client(
            actor=actor,
            client=client,
            manager=target,
            effective_on=effective_on,
            source=ClientAssignment.Source.REASSIGNMENT,
            reason=f"{from_manager.name}的客户移交：{reason.strip()}"[:200],
        )
        moved = hand_over_followups(
            actor=actor, client=client, from_manager=from_manager, to_manager=target
        )
        plans = VisitPlan.objects.filter(
            client=client,
            manager=from_manager,
            status=VisitPlan.Status.PLANNED,
            planned_on__gte=effective_on,
        )
        plan_count = 0
        for plan in plans.select_for_update():
            plan.manager = target
            plan.stamp_from(target)
            plan._history_user = actor
            plan._change_reason = "客户移交"
            plan.save(update_fields=["manager", "branch", "team", "group", "outlet"])
            plan_count += 1
        followups += moved
        received[target] += 1
        lines.append(
            ReassignmentLine(
                batch=batch,
                client=client,
                to_manager=target,
                assignment=assignment,
                followups_moved=moved,
                plans_moved=plan_count,
            )
        )
    ReassignmentLine.objects.bulk_create(lines)
    batch.client_count = len(lines)
    batch.followup_count = followups
    batch.save(update_fields=["client_count", "followup_count"])
    for target, count in received.items():
        notify(
            [target],
            title=f"您接收了 {from_manager.name} 移交的 {count} 户客户",
            body=f"自 {effective_on:%Y-%m-%d} 起由您负责；原因：{batch.reason}",
            url=batch.get_absolute_url(),
        )
    return batch


def even_split(clients: list[Client], people: list[User]) -> dict[int, User]:
    """A proposal that spreads the clients over the colleagues: each tier in
    turn, most important first, so everyone gets a fair share of big clients."""
    if not people:
        return {}
    ordered = sorted(clients, key=lambda c: (c.tier.rank if c.tier_id else 99, c.name, c.pk))
    return {client.pk: people[i % len(people)] for i, client in enumerate(ordered)}
