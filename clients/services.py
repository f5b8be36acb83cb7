"""Writes to the client registry. Only these functions change ownership."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from clients.models import Client, ClientAssignment, ClientTier


def _stamp_from_manager(client: Client, manager) -> None:
    client.manager = manager
    client.branch_id = manager.branch_id
    client.team_id = manager.team_id
    client.group_id = manager.group_id
    client.outlet_id = manager.outlet_id


@transaction.atomic
def create_client(
    *,
    actor,
    crm_code: str,
    name: str,
    manager,
    since: dt.date,
    kind: str = Client.Kind.PERSON,
    tier: ClientTier | None = None,
    opened_on: dt.date | None = None,
    source: str = ClientAssignment.Source.INITIAL,
    **profile,
) -> Client:
    """Registers a client with his first owner (R-7.6)."""
    if manager.branch_id is None:
        raise ValidationError({"manager": f"{manager.name} 没有所属营业部，不能作为客户经理。"})
    client = Client(
        crm_code=crm_code, name=name, kind=kind, tier=tier, opened_on=opened_on, **profile
    )
    _stamp_from_manager(client, manager)
    client.full_clean()
    client._history_user = actor
    client.save()
    assignment = ClientAssignment(
        client=client,
        manager=manager,
        branch_id=manager.branch_id,
        team_id=manager.team_id,
        valid_from=since,
        source=source,
        created_by=actor,
    )
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    return client


@transaction.atomic
def assign_client(
    *,
    actor,
    client: Client,
    manager,
    effective_on: dt.date,
    source: str = ClientAssignment.Source.REASSIGNMENT,
    reason: str = "",
) -> ClientAssignment:
    """Gives a client a new owner from ``effective_on``; history is kept."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    current = (
        ClientAssignment.objects.select_for_update()
        .filter(client=client, valid_to__isnull=True)
        .first()
    )
    if current is not None:
        if current.manager_id == manager.pk:
            raise ValidationError({"manager": f"客户已归属 {manager.name}。"})
        if effective_on < current.valid_from:
            raise ValidationError(
                {"effective_on": f"生效日期不能早于当前归属起始日 {current.valid_from}。"}
            )
        current.valid_to = effective_on
        current._history_user = actor
        current.save(update_fields=["valid_to"])
    if manager.branch_id is None:
        raise ValidationError({"manager": f"{manager.name} 没有所属营业部。"})
    assignment = ClientAssignment(
        client=client,
        manager=manager,
        branch_id=manager.branch_id,
        team_id=manager.team_id,
        valid_from=effective_on,
        source=source,
        reason=reason,
        created_by=actor,
    )
    assignment.full_clean()
    assignment._history_user = actor
    assignment.save()
    _stamp_from_manager(client, manager)
    client._history_user = actor
    client._change_reason = reason or "调整客户归属"
    client.save()
    return assignment
