"""Configuration writes: tiers with their visit frequency (R-7.5) and the
overlap window (R-7.2)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from clients.models import ClientTier
from staff.models import Branch, User
from visits.models import TierChange, VisitSettings
from visits.permissions import can_edit_branch_settings, can_edit_company_settings

TIER_FIELDS = {
    "name": "名称",
    "rank": "排序",
    "visit_interval_days": "走访周期",
    "is_active": "在用",
}


@transaction.atomic
def save_tier(
    *,
    actor: User,
    tier: ClientTier | None,
    code: str = "",
    name: str,
    rank: int,
    visit_interval_days: int,
    is_active: bool = True,
) -> ClientTier:
    """Adds or changes a tier; every change is logged (ClientTier has no history)."""
    if not can_edit_company_settings(actor):
        raise ValidationError("只有系统管理员可以设置客户级别。")
    if not 1 <= visit_interval_days <= 366:
        raise ValidationError({"visit_interval_days": "走访周期应在 1–366 天之间。"})
    values = {
        "name": name.strip(),
        "rank": rank,
        "visit_interval_days": visit_interval_days,
        "is_active": is_active,
    }
    if tier is None:
        tier = ClientTier(code=code.strip(), **values)
        changes = [f"新增客户级别“{tier.name}”，每 {visit_interval_days} 天至少走访一次"]
    else:
        tier = ClientTier.objects.select_for_update().get(pk=tier.pk)
        changes = [
            f"{TIER_FIELDS[k]}：{getattr(tier, k)} → {v}"
            for k, v in values.items()
            if getattr(tier, k) != v
        ]
        for k, v in values.items():
            setattr(tier, k, v)
    tier.full_clean()
    tier.save()
    if changes:
        TierChange.objects.create(
            tier=tier, actor=actor, change=f"{tier.name}：" + "；".join(changes)[:280]
        )
    return tier


@transaction.atomic
def save_settings(
    *, actor: User, branch: Branch | None, overlap_days: int, followup_days: int
) -> VisitSettings:
    if branch is None and not can_edit_company_settings(actor):
        raise ValidationError("只有系统管理员可以修改全公司默认值。")
    if branch is not None and not can_edit_branch_settings(actor, branch.pk):
        raise ValidationError("只有本营业部经理、副经理可以修改本营业部的走访设置。")
    row = VisitSettings.objects.select_for_update().filter(branch=branch).first()
    row = row or VisitSettings(branch=branch)
    row.overlap_days = overlap_days
    row.followup_days = followup_days
    row.full_clean()
    row._history_user = actor
    row.save()
    return row
