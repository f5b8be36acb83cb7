"""Splitting an approved annual plan to people by month (R-1.4, R-1.10)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from staff.models import User
from teams.models import (
    SPLIT_METRICS,
    FilingKind,
    FilingStatus,
    Metric,
    TargetCell,
    TargetSplit,
    TeamFiling,
)
from teams.permissions import leads

ASSETS_MONTH = 12  # client assets is a year-end stock
UNITS = {
    Metric.NEW_ACCOUNTS: "户",
    Metric.NET_REVENUE: "元",
    Metric.CLIENT_ASSETS: "元",
    Metric.SALES: "元",
}


def _fmt(value: Decimal, metric: str) -> str:
    if metric == Metric.NEW_ACCOUNTS:
        return f"{value:,.0f} 户"
    return f"{value:,.2f} 元"


@transaction.atomic
def save_target_split(
    *,
    actor: User,
    plan: TeamFiling,
    cells: dict[tuple[int, int, str], Decimal],
    note: str = "",
) -> TargetSplit:
    """Saves a split ``{(person_id, month, metric): value}``.

    Every split metric must add up exactly to the plan's target; client
    assets is given per person for month 12; the personal monthly sales
    target (元) is optional and free. The previous split is kept,
    marked no longer current."""
    plan = TeamFiling.objects.select_related("team").get(pk=plan.pk)
    if plan.kind != FilingKind.ANNUAL_PLAN or plan.status != FilingStatus.APPROVED:
        raise ValidationError("只能分解已批准的年度工作计划。")
    if not leads(actor, plan.team):
        raise ValidationError("只有团队负责人可以分解目标。")
    members = set(
        User.objects.filter(team=plan.team)
        .exclude(status=User.Status.LEFT)
        .values_list("pk", flat=True)
    )
    errors = []
    totals = {metric: Decimal("0") for metric in SPLIT_METRICS}
    for (person_id, month, metric), value in cells.items():
        if person_id not in members:
            errors.append("目标只能分解给本团队在岗人员。")
            break
        if not 1 <= month <= 12:
            errors.append(f"月份 {month} 不正确。")
            break
        if value < 0:
            errors.append("目标值不能为负数。")
            break
        if metric == Metric.NEW_ACCOUNTS and value != value.to_integral_value():
            errors.append("开户数须为整数。")
            break
        if metric == Metric.CLIENT_ASSETS and month != ASSETS_MONTH:
            errors.append("客户资产目标按年末分解，只填 12 月。")
            break
        if metric in totals:
            totals[metric] += value
    for metric, field in SPLIT_METRICS.items():
        whole = Decimal(getattr(plan, field) or 0)
        if totals[metric] != whole:
            label = Metric(metric).label.split("（")[0]
            diff = whole - totals[metric]
            word = "还差" if diff > 0 else "超出"
            errors.append(
                f"{label}合计 {_fmt(totals[metric], metric)}，与年度目标 {_fmt(whole, metric)}不一致，"
                f"{word} {_fmt(abs(diff), metric)}。"
            )
    if errors:
        raise ValidationError(errors)
    TargetSplit.objects.select_for_update().filter(
        team=plan.team, year=plan.year, is_current=True
    ).update(is_current=False)
    split = TargetSplit.objects.create(
        plan=plan,
        team=plan.team,
        branch_id=plan.branch_id,
        year=plan.year,
        note=note,
        created_by=actor,
    )
    TargetCell.objects.bulk_create(
        [
            TargetCell(split=split, person_id=person_id, month=month, metric=metric, value=value)
            for (person_id, month, metric), value in sorted(cells.items())
            if value
        ]
    )
    return split
