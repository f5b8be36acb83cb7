"""损失事件 (R-4.4): damage, loss or theft charged to the person responsible.

A loss or theft takes the units off the books when it is established (on
registration, or when a handover or stock-take finds them missing); the
decision — charged or waived, with reason — is proposed by the keeper and
approved by the team leader through the approval engine. When the person
responsible is the team leader himself, the decision goes to the branch
manager instead.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from approvals import selectors as approval_selectors
from approvals import services as approvals
from approvals.registry import SubjectAdapter, register_subject
from assets.models import Holding, Incident, Item, Movement
from assets.permissions import keeps
from assets.services.ledger import Place, post_movement
from staff.models import Role, User
from staff.selectors import holders

INCIDENT_FLOW = "asset_incident"
# When the person responsible leads the team, his own leader decides.
INCIDENT_FLOW_LEADER = "asset_incident_leader"
EDITABLE = (Incident.Status.DRAFT, Incident.Status.REJECTED, Incident.Status.WITHDRAWN)
WRITES_OFF = (Incident.Kind.LOSS, Incident.Kind.THEFT)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _check_responsible(item: Item, responsible: User) -> None:
    if responsible.branch_id != item.branch_id:
        raise ValidationError({"responsible": f"{responsible.name} 不是本营业部人员。"})


def _loss_place(item: Item, responsible: User, quantity: int) -> Place:
    """Where lost units are taken from: a unit item's one holding; for stock,
    the responsible person's holding if he has enough, else the store."""
    rows = list(Holding.objects.filter(item=item).select_related("outlet", "holder"))
    if not item.category.is_stock:
        if not rows:
            raise ValidationError({"item": "该物品已不在账上。"})
        return Place(rows[0].outlet, rows[0].holder)
    for preferred in (responsible.pk, None):
        for h in rows:
            if h.holder_id == preferred and h.quantity >= quantity:
                return Place(h.outlet, h.holder)
    raise ValidationError(
        {"quantity": f"{responsible.name} 和库房都没有足够数量（{quantity}）可核销。"}
    )


def open_incident(
    *,
    actor: User,
    item: Item,
    kind: str,
    responsible: User,
    quantity: int,
    occurred_on: dt.date,
    circumstances: str,
    source: str = Incident.Source.REPORTED,
    place: Place | None = None,
    assessed_amount: Decimal | None = None,
    handover=None,
    stocktake=None,
) -> Incident:
    """Creates the incident and, for a loss or theft, writes the units off
    the books. Called inside the caller's transaction and permission check."""
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": "数量必须大于零。"})
    if not item.category.is_stock and quantity != 1:
        raise ValidationError({"quantity": "设备逐件管理，数量为 1。"})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})
    if kind == Incident.Kind.DAMAGE and not Holding.objects.filter(item=item).exists():
        raise ValidationError({"item": "该物品已不在账上。"})
    _check_responsible(item, responsible)
    if assessed_amount is None:
        assessed_amount = (item.value * quantity).quantize(Decimal("0.01"))
    incident = Incident(
        item=item,
        kind=kind,
        source=source,
        quantity=quantity,
        occurred_on=occurred_on,
        circumstances=circumstances,
        responsible=responsible,
        assessed_amount=assessed_amount,
        branch_id=item.branch_id,
        team_id=item.team_id,
        prepared_by=actor,
    )
    incident.full_clean()
    incident._history_user = actor
    incident.save()
    if kind in WRITES_OFF:
        post_movement(
            actor=actor,
            item=item,
            kind=Movement.Kind.LOSS,
            quantity=quantity,
            source=place or _loss_place(item, responsible, quantity),
            on=occurred_on,
            note=f"{incident.get_kind_display()}核销（{incident.number}）",
            incident=incident,
            handover=handover,
            stocktake=stocktake,
        )
    return incident


@transaction.atomic
def report_incident(
    *,
    actor: User,
    item: Item,
    kind: str,
    responsible: User,
    occurred_on: dt.date,
    circumstances: str,
    quantity: int = 1,
    assessed_amount: Decimal | None = None,
) -> Incident:
    """登记损失事件 by the keeper or leader (R-4.4)."""
    if not keeps(actor, item.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以登记损失事件。")
    if not circumstances.strip():
        raise ValidationError({"circumstances": "请填写事件经过。"})
    return open_incident(
        actor=actor,
        item=item,
        kind=kind,
        responsible=responsible,
        quantity=quantity,
        occurred_on=occurred_on,
        circumstances=circumstances,
        assessed_amount=assessed_amount,
    )


def _editable(incident: Incident) -> None:
    if approval_selectors.is_locked(incident) or incident.status not in EDITABLE:
        raise ValidationError(f"{incident.number}{incident.get_status_display()}，不能修改。")


def _check_decision(incident: Incident) -> None:
    errors = {}
    if not incident.decision:
        errors["decision"] = "请选择处理决定（赔偿或免赔）。"
    elif incident.decision == Incident.Decision.CHARGE:
        if incident.charged_amount <= 0:
            errors["charged_amount"] = "由责任人赔偿时，赔偿金额须大于零。"
        elif incident.charged_amount > incident.assessed_amount:
            errors["charged_amount"] = "赔偿金额不能超过评估损失。"
    elif incident.charged_amount != 0:
        errors["charged_amount"] = "免予赔偿时赔偿金额应为 0。"
    if not incident.decision_reason.strip():
        errors["decision_reason"] = "请填写决定理由。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_incident(*, actor: User, incident: Incident, **changes) -> Incident:
    """The keeper completes the facts and proposes the decision."""
    incident = (
        Incident.objects.select_for_update(of=("self",)).select_related("item").get(pk=incident.pk)
    )
    if not keeps(actor, incident.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以修改。")
    _editable(incident)
    fields = (
        "occurred_on",
        "circumstances",
        "responsible",
        "assessed_amount",
        "decision",
        "charged_amount",
        "decision_reason",
        "deduct_month",
    )
    for field in fields:
        if field in changes:
            setattr(incident, field, changes[field])
    if incident.decision == Incident.Decision.WAIVE:
        incident.charged_amount = Decimal("0.00")
    if incident.deduct_month:
        incident.deduct_month = _month(incident.deduct_month)
    _check_responsible(incident.item, incident.responsible)
    incident.full_clean()
    incident._history_user = actor
    incident.save()
    return incident


def flow_for(incident: Incident) -> str:
    leaders = holders(Role.TEAM_LEADER, team=incident.team_id)
    if leaders.filter(pk=incident.responsible_id).exists():
        return INCIDENT_FLOW_LEADER
    return INCIDENT_FLOW


@transaction.atomic
def submit_incident(*, actor: User, incident: Incident, opinion: str = ""):
    """Sends the proposed decision to the team leader (R-4.4)."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if not keeps(actor, incident.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以报批。")
    _editable(incident)
    _check_decision(incident)
    return approvals.submit_request(
        actor=actor, subject=incident, flow_code=flow_for(incident), opinion=opinion
    )


class IncidentSubject(SubjectAdapter):
    model = Incident

    def title(self, incident):
        return (
            f"实物{incident.get_kind_display()}处理：{incident.item.name}"
            f"（{incident.item.asset_no}，责任人 {incident.responsible.name}）"
        )

    def summary(self, incident):
        items = [
            ("事件编号", incident.number),
            ("实物", f"{incident.item.name}（{incident.item.asset_no}）×{incident.quantity}"),
            ("事件", f"{incident.get_kind_display()}，{incident.occurred_on.isoformat()}"),
            ("经过", incident.circumstances),
            ("责任人", f"{incident.responsible.name}（{incident.responsible.employee_no}）"),
            ("评估损失", f"{incident.assessed_amount} 元"),
        ]
        if incident.decision == Incident.Decision.CHARGE:
            decision = f"由责任人赔偿 {incident.charged_amount} 元"
            if incident.deduct_month:
                decision += f"，{incident.deduct_month:%Y-%m} 工资中扣除"
        else:
            decision = "免予赔偿"
        items += [("处理决定", decision), ("理由", incident.decision_reason)]
        return items

    def stamp(self, incident, submitter):
        return {"branch_id": incident.branch_id, "team_id": incident.team_id, "group_id": None}

    def prepared_by(self, incident, submitter):
        return incident.prepared_by

    def _set(self, incident, status, actor, **extra):
        incident.status = status
        for name, value in extra.items():
            setattr(incident, name, value)
        incident._history_user = actor
        incident.save(update_fields=["status", *extra])

    def on_submitted(self, incident, request, actor):
        self._set(incident, Incident.Status.PENDING, actor)

    def on_rejected(self, incident, request, actor):
        self._set(incident, Incident.Status.REJECTED, actor)

    def on_withdrawn(self, incident, request, actor):
        self._set(incident, Incident.Status.WITHDRAWN, actor)

    def on_approved(self, incident, request, actor):
        this_month = _month(timezone.localdate())
        month = incident.deduct_month
        if incident.decision == Incident.Decision.CHARGE:
            month = max(month or this_month, this_month)
        self._set(
            incident,
            Incident.Status.APPROVED,
            actor,
            approved_at=timezone.now(),
            deduct_month=month,
        )

    def notify_on_approval(self, incident, request):
        return [incident.responsible]


register_subject(IncidentSubject())
