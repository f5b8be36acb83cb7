"""Writes to contracts and agreements (R-6.2)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from archives import permissions
from archives.models import Contract
from archives.models.contracts import default_end
from archives.selectors.files import contract_kind_for
from archives.services.common import attach_checked, ensure_month_open, ensure_not_future
from staff.models import User


def _last_day(contract: Contract) -> dt.date:
    if contract.terminated_on is not None:
        return contract.terminated_on - dt.timedelta(days=1)
    return contract.ends_on


def _check_no_overlap(person, starts_on: dt.date, ends_on: dt.date, exclude=None) -> None:
    others = Contract.objects.filter(person=person).exclude(
        Q(terminated_on__isnull=False) & Q(terminated_on__lte=starts_on)
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        if other.starts_on <= ends_on and starts_on <= _last_day(other):
            raise ValidationError(
                {
                    "starts_on": f"与已有的{other.get_kind_display()}（{other.starts_on} 至 "
                    f"{_last_day(other)}）期间重叠；到期请办理续签。"
                }
            )


def _new_contract(
    *,
    actor,
    person,
    previous: Contract | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
    signed_on: dt.date,
    original_location: str,
    number: str,
    upload,
) -> Contract:
    if not permissions.can_manage_contracts(actor, person):
        raise ValidationError("只有本营业部交易管理岗或营业部经理可以登记合同。")
    if person.status == User.Status.LEFT:
        raise ValidationError(f"{person.name}已离职，不能再签订合同。")
    if upload is None:
        raise ValidationError({"upload": "请上传双方签字的合同扫描件。"})
    if not original_location.strip():
        raise ValidationError({"original_location": "请填写原件存放位置。"})
    ends_on = ends_on or default_end(starts_on)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "终止日期不能早于起始日期。"})
    ensure_not_future(signed_on, "signed_on", "签订日期", timezone.localdate())
    ensure_month_open(person.branch_id, signed_on, "合同")
    _check_no_overlap(person, starts_on, ends_on)
    contract = Contract(
        person=person,
        kind=contract_kind_for(person),
        number=number.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        original_location=original_location.strip(),
        previous=previous,
        branch_id=person.branch_id,
        team_id=person.team_id,
        created_by=actor,
    )
    contract.full_clean(exclude=["attachment"])
    contract._history_user = actor
    contract._change_reason = "续签" if previous else "签订"
    contract.save()
    attach_checked(actor=actor, owner=contract, upload=upload, purpose="contract")
    return contract


@transaction.atomic
def create_contract(
    *,
    actor,
    person,
    starts_on: dt.date,
    signed_on: dt.date,
    original_location: str,
    upload,
    ends_on: dt.date | None = None,
    number: str = "",
) -> Contract:
    """劳动合同 for a hire, 营销合作协议 for a part-time broker, one year
    unless another end is given (R-6.2)."""
    if person.branch_id is None:
        raise ValidationError(f"{person.name}没有所属营业部。")
    person = User.objects.select_for_update().get(pk=person.pk)
    return _new_contract(
        actor=actor,
        person=person,
        previous=None,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        original_location=original_location,
        number=number,
        upload=upload,
    )


@transaction.atomic
def renew_contract(
    *,
    actor,
    contract: Contract,
    signed_on: dt.date,
    original_location: str,
    upload,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    number: str = "",
) -> Contract:
    """The next contract, linked to the one it follows; it starts the day
    after the old one ends unless another day is given."""
    person = User.objects.select_for_update().get(pk=contract.person_id)
    old = Contract.objects.select_for_update().get(pk=contract.pk)
    if Contract.objects.filter(previous=old).exists():
        raise ValidationError("该合同已续签。")
    if old.terminated_on is not None:
        raise ValidationError("该合同已提前终止，请签订新合同。")
    starts_on = starts_on or old.ends_on + dt.timedelta(days=1)
    if starts_on <= old.ends_on:
        raise ValidationError({"starts_on": f"续签合同须在原合同期满（{old.ends_on}）后起始。"})
    return _new_contract(
        actor=actor,
        person=person,
        previous=old,
        starts_on=starts_on,
        ends_on=ends_on,
        signed_on=signed_on,
        original_location=original_location,
        number=number,
        upload=upload,
    )


@transaction.atomic
def terminate_contract(*, actor, contract: Contract, on: dt.date, reason: str) -> Contract:
    """Ends a contract early (e.g. the person leaves): from ``on`` it no
    longer applies."""
    contract = Contract.objects.select_for_update().select_related("person").get(pk=contract.pk)
    if not permissions.can_manage_contracts(actor, contract.person):
        raise ValidationError("只有本营业部交易管理岗或营业部经理可以终止合同。")
    if contract.terminated_on is not None:
        raise ValidationError("该合同已终止。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明终止原因。"})
    if not contract.starts_on <= on <= contract.ends_on:
        raise ValidationError(
            {"on": f"终止日期须在合同期间内（{contract.starts_on} 至 {contract.ends_on}）。"}
        )
    ensure_month_open(contract.person.branch_id, on, "合同")
    contract.terminated_on = on
    contract.termination_reason = reason.strip()
    contract._history_user = actor
    contract._change_reason = f"提前终止：{reason.strip()}"
    contract.save(update_fields=["terminated_on", "termination_reason"])
    return contract


@transaction.atomic
def update_contract_keeping(
    *, actor, contract: Contract, original_location: str, number: str
) -> Contract:
    """Where the original is kept may change (moved to the archive room);
    the change is kept in the contract's history."""
    contract = Contract.objects.select_for_update().select_related("person").get(pk=contract.pk)
    if not permissions.can_manage_contracts(actor, contract.person):
        raise ValidationError("只有本营业部交易管理岗或营业部经理可以修改合同信息。")
    if not original_location.strip():
        raise ValidationError({"original_location": "请填写原件存放位置。"})
    contract.original_location = original_location.strip()
    contract.number = number.strip()
    contract.full_clean()
    contract._history_user = actor
    contract.save(update_fields=["original_location", "number"])
    return contract


def on_status_changed(*, actor, user, old_status: str, new_status: str, on: dt.date) -> None:
    """A person who leaves has his contract terminated on his leaving day."""
    if new_status != User.Status.LEFT:
        return
    for contract in Contract.objects.select_for_update().filter(
        person=user, terminated_on__isnull=True, ends_on__gte=on
    ):
        contract.terminated_on = max(on, contract.starts_on)
        contract.termination_reason = "离职"
        contract._history_user = actor
        contract._change_reason = "人员离职，合同终止"
        contract.save(update_fields=["terminated_on", "termination_reason"])
