"""The append-only ledger (R-4.3) and the register it feeds.

Every write of a quantity goes through ``post_movement``: it locks the item
row, checks the source holds enough (no negative stock) and that a unit item
ends with one holder at most, appends the movement, then updates the
holdings and the register's current columns. Two keepers issuing the last
unit at the same instant queue on the item lock; the second sees the stock
gone and is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assets.models import Category, Handover, Holding, Item, Movement, StockTake
from assets.permissions import keeps
from assets.selectors import open_handover_line, open_stocktake_at
from staff.models import Outlet, Team, User

# The concurrency test removes the lock to show the race it prevents.
_LOCK_ITEMS = True


def _after_read(item: Item) -> None:
    """A seam for the concurrency test: runs after the stock was read."""


K = Movement.Kind
# Which sides a kind has: (source, target); "store", "person", "any" or None
# (outside the books).
SIDES: dict[str, tuple[str | None, str | None]] = {
    K.RECEIVE: (None, "store"),
    K.ISSUE: ("store", "person"),
    K.TRANSFER: ("any", "any"),
    K.RETURN: ("person", "store"),
    K.HANDOVER: ("person", "person"),
    K.CONSUME: ("any", None),
    K.SCRAP: ("any", None),
    K.COUNT_GAIN: (None, "any"),
    K.COUNT_LOSS: ("any", None),
    K.LOSS: ("any", None),
}
# What a keeper records by hand on an item's page; the rest come from
# registration, handovers, stock-takes and incidents.
MANUAL_KINDS = (K.ISSUE, K.TRANSFER, K.RETURN, K.CONSUME, K.SCRAP)
STOCK_ONLY = (K.CONSUME,)
NUMBER_WIDTH = 4
RELATED = [
    "item",
    "from_outlet",
    "from_holder",
    "to_outlet",
    "to_holder",
    "handover",
    "stocktake",
    "incident",
    "branch",
    "team",
    "recorded_by",
]


@dataclass(frozen=True)
class Place:
    """Where units are: an outlet, and a person there (None: the store)."""

    outlet: Outlet
    holder: User | None = None

    def label(self) -> str:
        who = self.holder.name if self.holder else "库存"
        return f"{self.outlet.name} · {who}"


def _lock_item(item: Item) -> Item:
    queryset = Item.objects.select_related("category", "team")
    if _LOCK_ITEMS:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.get(pk=item.pk)


def _check_side(kind: str, side: str | None, place: Place | None, label: str) -> None:
    if side is None:
        if place is not None:
            raise ValidationError(f"“{K(kind).label}”不应有{label}。")
        return
    if place is None:
        raise ValidationError(f"“{K(kind).label}”须指定{label}。")
    if side == "store" and place.holder is not None:
        raise ValidationError(f"“{K(kind).label}”的{label}应为库房。")
    if side == "person" and place.holder is None:
        raise ValidationError(f"“{K(kind).label}”的{label}应为具体人员。")


def _check_target(item: Item, target: Place, handover: Handover | None) -> None:
    if target.outlet.branch_id != item.branch_id:
        raise ValidationError({"to_outlet": f"网点“{target.outlet}”不属于本营业部。"})
    person = target.holder
    if person is None:
        return
    if person.status == User.Status.LEFT or not person.is_active:
        raise ValidationError({"to_holder": f"{person.name} 已离职，不能接收实物。"})
    if person.team_id != item.team_id:
        raise ValidationError({"to_holder": f"{person.name} 不是“{item.team}”的成员。"})
    if handover is None and (
        Handover.objects.filter(
            person=person, team_id=item.team_id, status=Handover.Status.OPEN
        ).exists()
    ):
        raise ValidationError(
            {"to_holder": f"{person.name} 正在办理实物交接，交接完成前不能再接收实物。"}
        )


def _check_frozen(item: Item, places: list[Place], stocktake: StockTake | None) -> None:
    open_take = open_stocktake_at(item.team_id, [p.outlet.pk for p in places])
    if open_take is not None and (stocktake is None or open_take.pk != stocktake.pk):
        raise ValidationError(
            f"网点“{open_take.outlet.name}”正在盘点（{open_take.number}），"
            "盘点结束前不能办理出入库。"
        )


def _take(item: Item, place: Place, quantity: int) -> None:
    holding = Holding.objects.filter(item=item, outlet=place.outlet, holder=place.holder).first()
    available = holding.quantity if holding else 0
    _after_read(item)
    if available < quantity:
        if place.holder is None:
            raise ValidationError(
                {"quantity": f"{place.outlet.name}库存不足：现有 {available}，需要 {quantity}。"}
            )
        raise ValidationError(
            {
                "quantity": f"{place.holder.name} 在{place.outlet.name}只保管 {available}，不足 {quantity}。"
            }
        )
    holding.quantity = available - quantity
    if holding.quantity == 0:
        # A holding is a projection of the ledger; an empty one is dropped.
        Holding.objects.filter(pk=holding.pk).delete()
    else:
        holding.save(update_fields=["quantity"])


def _put(item: Item, place: Place, quantity: int) -> None:
    holding = Holding.objects.filter(item=item, outlet=place.outlet, holder=place.holder).first()
    if holding is None:
        Holding.objects.create(
            item=item, outlet=place.outlet, holder=place.holder, quantity=quantity
        )
    else:
        holding.quantity += quantity
        holding.save(update_fields=["quantity"])


def _project(item: Item, last_kind: str) -> None:
    """The register's current columns, recomputed from the item's holdings."""
    rows = list(Holding.objects.filter(item=item).values_list("holder_id", "outlet_id", "quantity"))
    total = sum(q for _, _, q in rows)
    in_store = sum(q for holder, _, q in rows if holder is None)
    fields = {"quantity": total, "in_store": in_store}
    if item.category.is_stock:
        fields["custodian_id"] = None
        store_outlets = {o for h, o, _ in rows if h is None}
        if len(store_outlets) == 1:
            fields["outlet_id"] = store_outlets.pop()
        if in_store:
            status = Item.Status.IN_STORE
        elif total:
            status = Item.Status.IN_USE
        elif last_kind == K.SCRAP:
            status = Item.Status.SCRAPPED
        elif last_kind in (K.LOSS, K.COUNT_LOSS):
            status = Item.Status.LOST
        else:
            status = Item.Status.USED_UP
    elif rows:
        holder, outlet, _ = rows[0]
        fields["custodian_id"], fields["outlet_id"] = holder, outlet
        status = Item.Status.IN_STORE if holder is None else Item.Status.IN_USE
    else:
        fields["custodian_id"] = None
        status = Item.Status.SCRAPPED if last_kind == K.SCRAP else Item.Status.LOST
    fields["status"] = status
    Item.objects.filter(pk=item.pk).update(**fields)
    for name, value in fields.items():
        setattr(item, name, value)


def post_movement(
    *,
    actor: User,
    item: Item,
    kind: str,
    quantity: int,
    source: Place | None = None,
    target: Place | None = None,
    on: dt.date | None = None,
    note: str = "",
    handover: Handover | None = None,
    stocktake: StockTake | None = None,
    incident=None,
) -> Movement:
    """Appends one ledger entry and updates the holdings. Call inside the
    caller's transaction; permission checks belong to the caller."""
    item = _lock_item(item)
    source_side, target_side = SIDES[kind]
    _check_side(kind, source_side, source, "调出方")
    _check_side(kind, target_side, target, "接收方")
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": "数量必须大于零。"})
    if not item.category.is_stock and quantity != 1:
        raise ValidationError({"quantity": "设备逐件管理，每次数量为 1。"})
    if kind in STOCK_ONLY and not item.category.is_stock:
        raise ValidationError({"kind": "设备不能“发放耗用”；不再使用的设备请报废。"})
    if source and target and source == target:
        raise ValidationError({"to_holder": "调出方和接收方相同。"})
    if target is not None:
        _check_target(item, target, handover)
    places = [p for p in (source, target) if p is not None]
    _check_frozen(item, places, stocktake)
    if source is not None and handover is None:
        line = open_handover_line(item, source.holder)
        if line is not None:
            raise ValidationError(f"该物品在交接单 {line.handover.number} 中，请在交接单上办理。")
    movement = Movement(
        item=item,
        kind=kind,
        quantity=quantity,
        from_outlet=source.outlet if source else None,
        from_holder=source.holder if source else None,
        to_outlet=target.outlet if target else None,
        to_holder=target.holder if target else None,
        occurred_on=on or timezone.localdate(),
        note=note,
        handover=handover,
        stocktake=stocktake,
        incident=incident,
        branch_id=item.branch_id,
        team_id=item.team_id,
        recorded_by=actor,
    )
    # The related rows were loaded by the caller; validate the values only.
    movement.full_clean(exclude=RELATED, validate_unique=False)
    if source is not None:
        _take(item, source, quantity)
    if target is not None:
        if not item.category.is_stock and Holding.objects.filter(item=item).exists():
            raise ValidationError("设备同一时间只能有一个保管人。")
        _put(item, target, quantity)
    movement.save()
    _project(item, kind)
    return movement


# -- the keeper's entries ------------------------------------------------------------------


@transaction.atomic
def record_movement(
    *,
    actor: User,
    item: Item,
    kind: str,
    quantity: int,
    source: Place | None = None,
    target: Place | None = None,
    on: dt.date | None = None,
    note: str = "",
) -> Movement:
    """领用, 调拨, 归还, 发放耗用 or 报废 recorded by the team's keeper or
    leader (R-4.3)."""
    if not keeps(actor, item.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以登记出入库。")
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": "该类型的流水由交接、盘点或损失事件产生，不能直接登记。"})
    if on and on > timezone.localdate():
        raise ValidationError({"on": "业务日期不能晚于今天。"})
    received = item.movements.order_by("occurred_on").values_list("occurred_on", flat=True).first()
    if on and received and on < received:
        raise ValidationError({"on": f"业务日期不能早于该物品的入库日期 {received}。"})
    return post_movement(
        actor=actor,
        item=item,
        kind=kind,
        quantity=quantity,
        source=source,
        target=target,
        on=on,
        note=note,
    )


def _next_numbers(team: Team, category: Category, count: int) -> list[str]:
    prefix = f"{team.code}-{category.code}-"
    used = Item.objects.filter(asset_no__startswith=prefix).values_list("asset_no", flat=True)
    highest = 0
    for number in used:
        tail = number[len(prefix) :]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return [f"{prefix}{n:0{NUMBER_WIDTH}d}" for n in range(highest + 1, highest + 1 + count)]


@transaction.atomic
def register_items(
    *,
    actor: User,
    team: Team,
    category: Category,
    name: str,
    value,
    outlet: Outlet,
    quantity: int = 1,
    specification: str = "",
    purchase_date: dt.date | None = None,
    asset_no: str = "",
    note: str = "",
    on: dt.date | None = None,
) -> list[Item]:
    """登记入库: new items into the team's store at an outlet. Equipment is
    registered one item per unit (numbered in sequence); stock is one item
    with a quantity."""
    if not keeps(actor, team):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以登记入库。")
    if outlet.branch_id != team.branch_id:
        raise ValidationError({"outlet": f"网点“{outlet}”不属于“{team.branch}”。"})
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": "数量必须大于零。"})
    if not category.is_active:
        raise ValidationError({"category": "该类别已停用。"})
    units = 1 if category.is_stock else quantity
    if units > 200:
        raise ValidationError({"quantity": "设备一次最多登记 200 件。"})
    if asset_no and units > 1:
        raise ValidationError({"asset_no": "指定资产编号时一次只能登记一件设备。"})
    Team.objects.select_for_update().get(pk=team.pk)  # serialises numbering per team
    numbers = [asset_no] if asset_no else _next_numbers(team, category, units)
    if Item.objects.filter(asset_no__in=numbers).exists():
        raise ValidationError({"asset_no": "该资产编号已被使用。"})
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": "入库日期不能晚于今天。"})
    each = quantity if category.is_stock else 1
    items = []
    for number in numbers:
        item = Item(
            asset_no=number,
            name=name,
            category=category,
            specification=specification,
            purchase_date=purchase_date,
            value=value,
            note=note,
            branch_id=team.branch_id,
            team=team,
            registered_by=actor,
            # The projection of the one receipt below.
            status=Item.Status.IN_STORE,
            quantity=each,
            in_store=each,
            outlet=outlet,
        )
        item.full_clean(
            exclude=["category", "branch", "team", "registered_by", "outlet", "custodian"],
            validate_unique=False,
        )
        items.append(item)
    _check_frozen(items[0], [Place(outlet)], None)
    # New items cannot be moved by anyone else yet, so a purchase of many
    # units is written in bulk: items (with history), receipts, holdings.
    bulk_create_with_history(items, Item, default_user=actor, default_change_reason="登记入库")
    if items[0].pk is None:  # a backend that does not return keys
        by_number = dict(Item.objects.filter(asset_no__in=numbers).values_list("asset_no", "pk"))
        for item in items:
            item.pk = by_number[item.asset_no]
    Movement.objects.bulk_create(
        Movement(
            item=item,
            kind=K.RECEIVE,
            quantity=each,
            to_outlet=outlet,
            occurred_on=on,
            note="登记入库",
            branch_id=team.branch_id,
            team_id=team.pk,
            recorded_by=actor,
        )
        for item in items
    )
    Holding.objects.bulk_create(Holding(item=item, outlet=outlet, quantity=each) for item in items)
    return items


@transaction.atomic
def receive_stock(
    *,
    actor: User,
    item: Item,
    quantity: int,
    outlet: Outlet,
    on: dt.date | None = None,
    note: str = "",
) -> Movement:
    """追加入库 of a stock item already on the register."""
    if not keeps(actor, item.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以登记入库。")
    if not item.category.is_stock:
        raise ValidationError("设备逐件登记，请用“登记入库”新增。")
    return post_movement(
        actor=actor,
        item=item,
        kind=K.RECEIVE,
        quantity=quantity,
        target=Place(outlet),
        on=on,
        note=note or "追加入库",
    )


@transaction.atomic
def update_item(*, actor: User, item: Item, **changes) -> Item:
    """Corrects an item's description (name, specification, purchase date,
    value, note); kept in its 变更记录. Number, category and team never change."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    if not keeps(actor, item.team_id):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以修改。")
    for field in ("name", "specification", "purchase_date", "value", "note"):
        if field in changes:
            setattr(item, field, changes[field])
    item.full_clean()
    item._history_user = actor
    item.save()
    return item
