"""Writes to personnel files (R-6.3): documents and their recruitment
check, the paper file's location, rewards and penalties, activation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from archives import permissions
from archives.models import (
    CERTIFICATES,
    DocumentKind,
    FileDocument,
    PersonnelFile,
    RewardPenalty,
)
from archives.selectors.files import activation_problems
from archives.services.common import attach_checked, ensure_month_open, ensure_not_future
from staff import services as staff_services
from staff.models import User


def _lock_person(person) -> User:
    return User.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def upload_document(*, actor, person, kind: str, upload, note: str = "") -> FileDocument:
    """Files a document; a newer one of the same kind replaces (and keeps)
    the old one, whose check no longer counts."""
    if not permissions.can_upload_document(actor, person):
        raise ValidationError("只有本营业部交易管理岗或本团队负责人可以上传档案材料。")
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": "请选择材料类别。"})
    if upload is None:
        raise ValidationError({"upload": "请选择要上传的文件。"})
    person = _lock_person(person)
    document = FileDocument(person=person, kind=kind, note=note.strip(), uploaded_by=actor)
    if kind != DocumentKind.OTHER:
        for old in FileDocument.objects.select_for_update().filter(
            person=person, kind=kind, replaced_at__isnull=True
        ):
            old.replaced_at = timezone.now()
            old.replaced_by = actor
            old._history_user = actor
            old._change_reason = "上传新版本，原件保留"
            old.save(update_fields=["replaced_at", "replaced_by"])
    document.full_clean(exclude=["attachment"])
    document._history_user = actor
    document.save()
    attach_checked(actor=actor, owner=document, upload=upload, purpose=f"file:{kind}")
    return document


@transaction.atomic
def verify_document(
    *,
    actor,
    document: FileDocument,
    method: str,
    result: str,
    on: dt.date,
    note: str = "",
) -> FileDocument:
    """The recruitment check (R-6.3): who checked the certificate, when,
    how, and whether it is genuine."""
    document = FileDocument.objects.select_for_update().select_related("person").get(pk=document.pk)
    person = document.person
    if not permissions.can_verify_document(actor, person):
        raise ValidationError("证件真伪由本营业部交易管理岗核验，本人不能核验自己的证件。")
    if document.kind not in CERTIFICATES:
        raise ValidationError("只有身份证、学历证书和担保人身份证需要核验真伪。")
    if document.replaced_at is not None:
        raise ValidationError("该材料已被新版本替换，请核验新版本。")
    if method not in FileDocument.Method.values:
        raise ValidationError({"method": "请选择核验方式。"})
    if result not in FileDocument.Result.values:
        raise ValidationError({"result": "请选择核验结果。"})
    if result == FileDocument.Result.FAILED and not note.strip():
        raise ValidationError({"note": "核验不符时请写明情况。"})
    ensure_not_future(on, "on", "核验日期", timezone.localdate())
    ensure_month_open(person.branch_id, on, "核验记录")
    document.verified_by = actor
    document.verified_on = on
    document.verify_method = method
    document.verify_result = result
    document.verify_note = note.strip()
    document.full_clean()
    document._history_user = actor
    document._change_reason = f"核验：{FileDocument.Result(result).label}"
    document.save()
    return document


@transaction.atomic
def set_paper_location(*, actor, person, paper_location: str, note: str = "") -> PersonnelFile:
    if not permissions.can_edit_paper_location(actor, person):
        raise ValidationError("只有本营业部交易管理岗可以登记纸质档案的存放位置。")
    paper_file, _ = PersonnelFile.objects.select_for_update().get_or_create(person=person)
    paper_file.paper_location = paper_location.strip()
    paper_file.note = note.strip()
    paper_file.full_clean()
    paper_file._history_user = actor
    paper_file.save()
    return paper_file


# -- rewards and penalties ---------------------------------------------------------------


def _check_reward(
    person, *, date: dt.date, kind: str, category: str, amount: Decimal | None, today
) -> None:
    if kind not in RewardPenalty.Kind.values:
        raise ValidationError({"kind": "请选择奖励或处罚。"})
    allowed = (
        RewardPenalty.REWARDS if kind == RewardPenalty.Kind.REWARD else RewardPenalty.PENALTIES
    )
    if category not in allowed:
        raise ValidationError(
            {
                "category": f"“{RewardPenalty.Category(category).label}”不是{RewardPenalty.Kind(kind).label}的形式。"
            }
        )
    if amount is not None and category not in (
        RewardPenalty.Category.BONUS,
        RewardPenalty.Category.FINE,
    ):
        raise ValidationError({"amount": "只有奖金和经济处罚填写金额。"})
    ensure_not_future(date, "date", "日期", today)
    ensure_month_open(person.branch_id, date, "奖惩记录")


@transaction.atomic
def record_reward(
    *,
    actor,
    person,
    date: dt.date,
    kind: str,
    category: str,
    reason: str,
    decided_by: str,
    amount: Decimal | None = None,
    upload=None,
) -> RewardPenalty:
    if not permissions.can_record_reward(actor, person):
        raise ValidationError("只有团队负责人、交易管理岗或营业部经理可以登记奖惩。")
    _check_reward(
        person, date=date, kind=kind, category=category, amount=amount, today=timezone.localdate()
    )
    entry = RewardPenalty(
        person=person,
        date=date,
        kind=kind,
        category=category,
        reason=reason.strip(),
        decided_by=decided_by.strip(),
        amount=amount,
        branch_id=person.branch_id,
        team_id=person.team_id,
        recorded_by=actor,
    )
    entry.full_clean(exclude=["attachment"])
    entry._history_user = actor
    entry.save()
    if upload is not None:
        attach_checked(actor=actor, owner=entry, upload=upload, purpose="reward")
    return entry


@transaction.atomic
def update_reward(
    *,
    actor,
    entry: RewardPenalty,
    date: dt.date,
    kind: str,
    category: str,
    reason: str,
    decided_by: str,
    amount: Decimal | None = None,
    change_reason: str = "",
) -> RewardPenalty:
    entry = RewardPenalty.objects.select_for_update().select_related("person").get(pk=entry.pk)
    if not permissions.can_record_reward(actor, entry.person):
        raise ValidationError("只有团队负责人、交易管理岗或营业部经理可以更正奖惩。")
    if entry.revoked_at is not None:
        raise ValidationError("该记录已撤销，不能再更改。")
    if not change_reason.strip():
        raise ValidationError({"change_reason": "请写明更正原因。"})
    ensure_month_open(entry.person.branch_id, entry.date, "奖惩记录")
    _check_reward(
        entry.person,
        date=date,
        kind=kind,
        category=category,
        amount=amount,
        today=timezone.localdate(),
    )
    entry.date, entry.kind, entry.category = date, kind, category
    entry.reason, entry.decided_by, entry.amount = reason.strip(), decided_by.strip(), amount
    entry.full_clean()
    entry._history_user = actor
    entry._change_reason = change_reason.strip()
    entry.save()
    return entry


@transaction.atomic
def revoke_reward(*, actor, entry: RewardPenalty, reason: str) -> RewardPenalty:
    entry = RewardPenalty.objects.select_for_update().select_related("person").get(pk=entry.pk)
    if not permissions.can_record_reward(actor, entry.person):
        raise ValidationError("只有团队负责人、交易管理岗或营业部经理可以撤销奖惩。")
    if entry.revoked_at is not None:
        raise ValidationError("该记录已撤销。")
    if not reason.strip():
        raise ValidationError({"reason": "请写明撤销原因。"})
    ensure_month_open(entry.person.branch_id, entry.date, "奖惩记录")
    entry.revoked_at = timezone.now()
    entry.revoked_by = actor
    entry.revoke_reason = reason.strip()
    entry._history_user = actor
    entry._change_reason = f"撤销：{reason.strip()}"
    entry.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return entry


# -- activation ---------------------------------------------------------------------------


def status_guard(user, new_status: str) -> list[str]:
    """A person stays *onboarding* until his file is complete and his
    certificates are checked (R-6.3); registered with staff.services."""
    if user.status == User.Status.ONBOARDING and new_status == User.Status.ACTIVE:
        return activation_problems(user)
    return []


@transaction.atomic
def activate_person(*, actor, person, on: dt.date) -> User:
    if not permissions.can_activate(actor, person):
        raise ValidationError("只有交易管理岗、团队负责人或营业部经理可以办理转为在岗。")
    if person.status != User.Status.ONBOARDING:
        raise ValidationError(
            f"{person.name}当前状态为“{person.get_status_display()}”，不是入职中。"
        )
    return staff_services.change_status(
        actor=actor,
        user=person,
        status=User.Status.ACTIVE,
        on=on,
        reason="档案齐全、证件核验属实，转为在岗",
    )
