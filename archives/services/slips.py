"""Client confirmation slips (R-6.4, R-7.6): gapless numbers, the client's
assignment to the manager, voiding with a reason."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archives import permissions
from archives.models import ConfirmationSlip
from archives.models.slips import slip_number
from archives.services import numbering
from archives.services.common import ensure_month_open, ensure_not_future, month_of
from clients import services as client_services
from clients.models import Client, ClientAssignment
from staff.models import User


def _check_manager(manager) -> None:
    if manager.status != User.Status.ACTIVE:
        raise ValidationError(
            {"manager": f"{manager.name}当前为“{manager.get_status_display()}”，不能确认客户。"}
        )
    if manager.branch_id is None or manager.team_id is None:
        raise ValidationError({"manager": f"{manager.name}不在任何营销团队，不能确认客户。"})


@transaction.atomic
def issue_slip(
    *,
    actor,
    manager,
    opened_on: dt.date,
    client: Client | None = None,
    new_client: dict | None = None,
    issued_on: dt.date | None = None,
    note: str = "",
) -> ConfirmationSlip:
    """Confirms that ``client`` (or a new client, ``new_client`` = crm_code,
    name, kind) was developed by ``manager``: numbers the slip gaplessly in
    the branch's month of ``issued_on`` and opens the client's assignment to
    the manager (an existing client from the confirmation day, a new one
    from his account-opening day)."""
    today = timezone.localdate()
    issued_on = issued_on or today
    if not permissions.can_issue_slip_for(actor, manager):
        raise ValidationError(
            "只有本营业部交易管理岗或本团队负责人可以为该客户经理出具确认单，本人不能为自己确认。"
        )
    _check_manager(manager)
    if (client is None) == (new_client is None):
        raise ValidationError("请选择已有客户，或填写新开户客户的客户号和名称。")
    ensure_not_future(opened_on, "opened_on", "开户日期", today)
    ensure_not_future(issued_on, "issued_on", "确认日期", today)
    if issued_on < opened_on:
        raise ValidationError({"issued_on": "确认日期不能早于开户日期。"})
    if client is not None:
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.branch_id != manager.branch_id:
            raise ValidationError({"client": "只能确认本营业部的客户。"})
        duplicate = ConfirmationSlip.objects.filter(
            client=client, manager=manager, status=ConfirmationSlip.Status.CONFIRMED
        ).first()
        if duplicate is not None:
            raise ValidationError(
                {"client": f"该客户已由确认单 {duplicate.number} 确认给{manager.name}。"}
            )
    else:
        code = (new_client.get("crm_code") or "").strip()
        if not code or not (new_client.get("name") or "").strip():
            raise ValidationError({"crm_code": "新开户客户须填写客户号和客户名称。"})
        if Client.objects.filter(crm_code=code).exists():
            raise ValidationError({"crm_code": f"客户号 {code} 已在客户名单中，请选择已有客户。"})

    # The number: taken under the month's counter lock, after which the
    # month is checked for being closed (closing takes the same lock).
    month = month_of(issued_on)
    counter = numbering.lock_counter(manager.branch_id, month)
    ensure_month_open(manager.branch_id, issued_on, "确认单")
    seq = numbering.take_next(counter)
    number = slip_number(manager.branch.code, month, seq)

    if client is None:
        client = client_services.create_client(
            actor=actor,
            crm_code=new_client["crm_code"].strip(),
            name=new_client["name"].strip(),
            kind=new_client.get("kind") or Client.Kind.PERSON,
            manager=manager,
            since=opened_on,
            opened_on=opened_on,
            source=ClientAssignment.Source.SLIP,
        )
        assignment = ClientAssignment.objects.get(client=client, valid_to__isnull=True)
        created = True
    else:
        created = False
        current = ClientAssignment.objects.filter(client=client, valid_to__isnull=True).first()
        if current is not None and current.manager_id == manager.pk:
            assignment = current  # already his (e.g. from the CRM import): the slip confirms it
        else:
            assignment = client_services.assign_client(
                actor=actor,
                client=client,
                manager=manager,
                effective_on=issued_on,
                source=ClientAssignment.Source.SLIP,
                reason=f"客户确认单 {number}",
            )
    slip = ConfirmationSlip(
        number=number,
        branch_id=manager.branch_id,
        month=month,
        seq=seq,
        client=client,
        manager=manager,
        team_id=manager.team_id,
        group_id=manager.group_id,
        outlet_id=manager.outlet_id,
        opened_on=opened_on,
        issued_on=issued_on,
        new_client=created,
        note=note.strip(),
        confirmed_by=actor,
        assignment=assignment,
    )
    slip.full_clean(validate_unique=False, validate_constraints=False)
    slip._history_user = actor
    slip.save()
    return slip


@transaction.atomic
def void_slip(*, actor, slip: ConfirmationSlip, reason: str) -> tuple[ConfirmationSlip, str]:
    """Voids a slip; it keeps its number (R-6.4). When the assignment it
    opened is still the client's current one, the client goes back to his
    previous manager from today. Returns the slip and what happened to the
    client's ownership."""
    if not reason.strip():
        raise ValidationError({"reason": "请写明作废原因。"})
    numbering.lock_counter(slip.branch_id, slip.month)
    slip = (
        ConfirmationSlip.objects.select_for_update(of=("self",))
        .select_related("assignment")
        .get(pk=slip.pk)
    )
    if not permissions.can_void_slip(actor, slip):
        raise ValidationError("只有交易管理岗、营业部经理或本团队负责人可以作废确认单。")
    ensure_month_open(slip.branch_id, slip.month, "确认单")
    slip.status = ConfirmationSlip.Status.VOID
    slip.void_reason = reason.strip()
    slip.voided_by = actor
    slip.voided_at = timezone.now()
    slip.full_clean(validate_unique=False, validate_constraints=False)
    slip._history_user = actor
    slip._change_reason = f"作废：{reason.strip()}"
    slip.save()
    return slip, _undo_assignment(actor, slip)


def _undo_assignment(actor, slip: ConfirmationSlip) -> str:
    opened = slip.assignment
    if opened is None or opened.source != ClientAssignment.Source.SLIP:
        return "客户归属未变（确认单未变更归属）。"
    if opened.valid_to is not None:
        return "客户归属此后已调整，未作变动。"
    previous = (
        ClientAssignment.objects.filter(client_id=slip.client_id, valid_to=opened.valid_from)
        .exclude(pk=opened.pk)
        .select_related("manager")
        .order_by("-id")
        .first()
    )
    if previous is None:
        return "该客户由本确认单建档，归属保持不变；如需调整请联系团队负责人。"
    manager = previous.manager
    if manager.status not in (User.Status.ACTIVE, User.Status.LEAVING) or manager.branch_id is None:
        return f"原客户经理{manager.name}已不在岗，客户归属保持不变；如需调整请联系团队负责人。"
    today = timezone.localdate()
    client_services.assign_client(
        actor=actor,
        client=slip.client,
        manager=manager,
        effective_on=max(today, opened.valid_from),
        source=ClientAssignment.Source.REASSIGNMENT,
        reason=f"确认单 {slip.number} 作废，恢复原归属",
    )
    return f"客户已恢复归属原客户经理{manager.name}。"
