"""盘点 (stock-taking): a periodic count of one team's assets at one outlet.

Opening it snapshots what the books say is there and freezes the outlet's
movements; the keeper enters what he counts (or confirms an item from its
QR label); every difference is resolved into a ledger entry (盘盈/盘亏) or,
for a shortage somebody answers for, an incident; then it is closed.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assets.models import Holding, Incident, Movement, StockTake, StockTakeLine
from assets.permissions import keeps
from assets.services.incidents import open_incident
from assets.services.ledger import Place, post_movement
from staff.models import Outlet, Team, User

R = StockTakeLine.Resolution


@transaction.atomic
def open_stocktake(
    *, actor: User, team: Team, outlet: Outlet, on: dt.date | None = None, note: str = ""
) -> StockTake:
    if not keeps(actor, team):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以发起盘点。")
    if outlet.branch_id != team.branch_id:
        raise ValidationError({"outlet": f"网点“{outlet}”不属于“{team.branch}”。"})
    Team.objects.select_for_update().get(pk=team.pk)
    if StockTake.objects.filter(team=team, outlet=outlet, status=StockTake.Status.OPEN).exists():
        raise ValidationError({"outlet": f"“{outlet}”已有进行中的盘点。"})
    holdings = list(Holding.objects.filter(item__team=team, outlet=outlet).order_by("item_id"))
    if not holdings:
        raise ValidationError({"outlet": f"“{outlet}”没有本团队的账面实物。"})
    stocktake = StockTake(
        team=team,
        branch_id=team.branch_id,
        outlet=outlet,
        note=note,
        opened_by=actor,
        opened_on=on or timezone.localdate(),
    )
    stocktake.full_clean(exclude=["team", "branch", "outlet", "opened_by"])
    stocktake.save()
    StockTakeLine.objects.bulk_create(
        StockTakeLine(
            stocktake=stocktake, item_id=h.item_id, holder_id=h.holder_id, expected=h.quantity
        )
        for h in holdings
    )
    return stocktake


def _check(actor: User, stocktake: StockTake) -> StockTake:
    stocktake = StockTake.objects.select_for_update().get(pk=stocktake.pk)
    if not keeps(actor, stocktake.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以盘点。")
    if stocktake.status != StockTake.Status.OPEN:
        raise ValidationError(f"{stocktake.number} 已结束。")
    return stocktake


def _set_count(line: StockTakeLine, counted: int, actor: User) -> None:
    if line.resolution in (R.LEDGER, R.INCIDENT):
        raise ValidationError(f"{line.item.asset_no} 的差异已处理，不能再改实盘数。")
    limit = 1 if not line.item.category.is_stock else None
    if counted < 0 or (limit is not None and counted > limit):
        raise ValidationError(f"{line.item.asset_no} 的实盘数量应为 0 或 1。")
    line.counted = counted
    line.counted_by = actor
    line.counted_at = timezone.now()
    line.resolution = R.MATCHED if counted == line.expected else R.PENDING
    line.save()


@transaction.atomic
def record_counts(*, actor: User, stocktake: StockTake, counts: dict[int, int]) -> int:
    """Enters counted quantities: {line id: quantity}. Returns lines changed."""
    stocktake = _check(actor, stocktake)
    lines = {
        line.pk: line
        for line in stocktake.lines.select_related("item__category").filter(pk__in=counts)
    }
    changed = 0
    for pk, counted in counts.items():
        line = lines.get(pk)
        if line is None or counted is None or counted == line.counted:
            continue
        _set_count(line, counted, actor)
        changed += 1
    return changed


@transaction.atomic
def confirm_present(*, actor: User, line: StockTakeLine) -> StockTakeLine:
    """The keeper found the item where the books say (from its QR label)."""
    _check(actor, line.stocktake)
    line = StockTakeLine.objects.select_related("item__category").get(pk=line.pk)
    _set_count(line, line.expected, actor)
    return line


@transaction.atomic
def resolve_line(
    *,
    actor: User,
    line: StockTakeLine,
    how: str,
    responsible: User | None = None,
    circumstances: str = "",
) -> StockTakeLine:
    """Turns a difference into 盘盈/盘亏 (``how="ledger"``) or, for a
    shortage, a loss incident against the person responsible."""
    stocktake = _check(actor, line.stocktake)
    line = StockTakeLine.objects.select_related("item__category", "holder").get(pk=line.pk)
    if line.counted is None:
        raise ValidationError("请先录入实盘数量。")
    if line.resolution != R.PENDING:
        raise ValidationError("该明细无需处理。")
    diff = line.counted - line.expected
    place = Place(stocktake.outlet, line.holder)
    note = f"盘点（{stocktake.number}）"
    if how == "ledger":
        kind = Movement.Kind.COUNT_GAIN if diff > 0 else Movement.Kind.COUNT_LOSS
        post_movement(
            actor=actor,
            item=line.item,
            kind=kind,
            quantity=abs(diff),
            source=None if diff > 0 else place,
            target=place if diff > 0 else None,
            note=note,
            stocktake=stocktake,
        )
        line.resolution = R.LEDGER
    elif how == "incident":
        if diff > 0:
            raise ValidationError("盘盈不能登记为损失事件，请调账。")
        responsible = responsible or line.holder
        if responsible is None:
            raise ValidationError({"responsible": "库存短缺请指定责任人。"})
        line.incident = open_incident(
            actor=actor,
            item=line.item,
            kind=Incident.Kind.LOSS,
            responsible=responsible,
            quantity=-diff,
            occurred_on=stocktake.opened_on,
            circumstances=circumstances or f"{note}短缺 {-diff}。",
            source=Incident.Source.STOCKTAKE,
            place=place,
            stocktake=stocktake,
        )
        line.resolution = R.INCIDENT
    else:
        raise ValidationError({"how": "请选择处理方式。"})
    line.save()
    return line


@transaction.atomic
def close_stocktake(*, actor: User, stocktake: StockTake) -> StockTake:
    stocktake = _check(actor, stocktake)
    uncounted = stocktake.lines.filter(counted__isnull=True).count()
    if uncounted:
        raise ValidationError(f"尚有 {uncounted} 项未盘点。")
    unresolved = stocktake.lines.filter(resolution=R.PENDING).count()
    if unresolved:
        raise ValidationError(f"尚有 {unresolved} 项差异未处理。")
    stocktake.status = StockTake.Status.CLOSED
    stocktake.closed_by = actor
    stocktake.closed_at = timezone.now()
    stocktake.save(update_fields=["status", "closed_by", "closed_at"])
    return stocktake
