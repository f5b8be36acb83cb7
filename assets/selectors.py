"""Reads of the assets chapter, shared by views, exports and other apps.

Other apps (payroll) read assets only through this module: ``charges_for``
and ``charges_by_person`` give the amounts decided against a person for a
month (R-4.4)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from approvals.selectors import subject_ids_routed_to
from assets.models import (
    Handover,
    HandoverLine,
    Holding,
    Incident,
    Item,
    Movement,
    OutletCustodian,
    StockTake,
    StockTakeLine,
)
from assets.permissions import BRANCH_VIEW_ROLES, KEEPER_ROLES
from portal.registry import SearchHit
from staff.access import scope_for
from staff.models import Role, in_force_q

# -- who sees what (R-8.1) ------------------------------------------------------------


def _stamp_q(scope, **fields) -> Q:
    return scope.stamped_q(
        person=None,
        group=None,
        outlet=None,
        branch_roles=BRANCH_VIEW_ROLES,
        team_roles=KEEPER_ROLES,
        **fields,
    )


def _personal_holdings_q(user, scope) -> Q:
    """Holdings a person answers for without a team-wide duty: his own, those
    of his group (group leader), those at outlets he covers (regional
    manager) or keeps for his team (outlet custodian, R-4.2)."""
    q = Q(holder_id=user.pk)
    if groups := scope.ids(Role.GROUP_LEADER):
        q |= Q(holder__group_id__in=groups)
    if scope.outlets:
        q |= Q(outlet_id__in=scope.outlets)
    custodian = OutletCustodian.objects.filter(
        in_force_q(timezone.localdate()),
        person_id=user.pk,
        team_id=OuterRef("item__team_id"),
        outlet_id=OuterRef("outlet_id"),
    )
    return q | Q(Exists(custodian))


def item_visibility_q(user) -> Q:
    """Keepers and leaders see their team's register; branch management and
    accountants their branch's; a client manager what he holds (R-4.2)."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    held = Holding.objects.filter(_personal_holdings_q(user, scope)).values("item_id")
    return _stamp_q(scope) | Q(pk__in=held)


def movement_visibility_q(user) -> Q:
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    if not user.is_authenticated:
        return Q(pk__in=[])
    held = Holding.objects.filter(_personal_holdings_q(user, scope)).values("item_id")
    return (
        _stamp_q(scope) | Q(item_id__in=held) | Q(from_holder_id=user.pk) | Q(to_holder_id=user.pk)
    )


def handover_visibility_q(user) -> Q:
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    return _stamp_q(scope) | Q(person_id=user.pk) | Q(receiver_id=user.pk)


def incident_visibility_q(user, model=Incident) -> Q:
    """Keepers, leaders and branch management; the person responsible; and
    whoever the decision was routed to for approval."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    q = _stamp_q(scope) | Q(responsible_id=user.pk)
    routed = subject_ids_routed_to(user, model)
    if routed:
        q |= Q(pk__in=routed)
    return q


def stocktake_visibility_q(user) -> Q:
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    q = _stamp_q(scope)
    if scope.outlets:
        q |= Q(outlet_id__in=scope.outlets)
    return q


# -- the register ---------------------------------------------------------------------


def items_for(user) -> QuerySet[Item]:
    return Item.objects.visible_to(user).select_related(
        "category", "team", "branch", "outlet", "custodian"
    )


def search_items(user, query: str, limit: int) -> list[SearchHit]:
    """Items by 资产编号 or name, within the user's scope (nav search)."""
    rows = (
        items_for(user)
        .filter(Q(asset_no__icontains=query) | Q(name__icontains=query))
        .order_by("asset_no")[:limit]
    )
    return [
        SearchHit(
            title=str(item),
            url=item.get_absolute_url(),
            detail=" · ".join(
                x for x in (item.category.name, item.team.name if item.team else "") if x
            ),
        )
        for item in rows
    ]


def item_detail(user, pk: int) -> Item:
    return get_object_or_404(items_for(user), pk=pk)


def item_by_number(user, asset_no: str) -> Item:
    return get_object_or_404(items_for(user), asset_no=asset_no)


def holdings_of_item(item: Item) -> QuerySet[Holding]:
    return (
        Holding.objects.filter(item=item)
        .select_related("outlet", "holder")
        .order_by("outlet__code", "holder__employee_no")
    )


def holdings_of(person, *, viewer=None) -> QuerySet[Holding]:
    """What a person holds now, optionally only items the viewer may see."""
    queryset = Holding.objects.filter(holder=person)
    if viewer is not None:
        queryset = queryset.filter(item__in=Item.objects.visible_to(viewer))
    return queryset.select_related("item__category", "item__team", "outlet").order_by(
        "item__asset_no"
    )


def held_items_text(person, limit: int = 10) -> list[str]:
    """“笔记本电脑（BR01-T01-PC-0001）” for each item a person holds."""
    rows = list(holdings_of(person)[: limit + 1])
    texts = [
        f"{h.item.name}（{h.item.asset_no}）"
        + (f"×{h.quantity}{h.item.category.unit}" if h.item.category.is_stock else "")
        for h in rows[:limit]
    ]
    if len(rows) > limit:
        total = Holding.objects.filter(holder=person).count()
        texts.append(f"等共 {total} 项")
    return texts


def item_movements(item: Item) -> QuerySet[Movement]:
    return (
        Movement.objects.filter(item=item)
        .select_related(
            "from_holder", "to_holder", "from_outlet", "to_outlet", "recorded_by", "incident"
        )
        .order_by("-occurred_on", "-id")
    )


def movements_for(user) -> QuerySet[Movement]:
    return Movement.objects.visible_to(user).select_related(
        "item__category",
        "team",
        "from_holder",
        "to_holder",
        "from_outlet",
        "to_outlet",
        "recorded_by",
    )


def team_members(team, *, include_leaving: bool = True):
    from staff.models import User

    statuses = [User.Status.ACTIVE, User.Status.ONBOARDING]
    if include_leaving:
        statuses.append(User.Status.LEAVING)
    return User.objects.filter(team=team, status__in=statuses).order_by("employee_no")


# -- custodians per outlet -------------------------------------------------------------


def current_custodian(team, outlet, on: dt.date | None = None):
    row = (
        OutletCustodian.objects.filter(in_force_q(on or timezone.localdate()))
        .filter(team=team, outlet=outlet)
        .select_related("person")
        .first()
    )
    return row.person if row else None


def custodians_of(team_ids) -> QuerySet[OutletCustodian]:
    return (
        OutletCustodian.objects.filter(in_force_q(timezone.localdate()), team_id__in=team_ids)
        .select_related("team", "outlet", "person", "created_by")
        .order_by("team__code", "outlet__code")
    )


# -- handovers ---------------------------------------------------------------------------


def handovers_for(user) -> QuerySet[Handover]:
    return Handover.objects.visible_to(user).select_related(
        "person", "receiver", "team", "from_outlet", "to_outlet", "opened_by"
    )


def handover_detail(user, pk: int) -> Handover:
    return get_object_or_404(handovers_for(user), pk=pk)


def handover_lines(handover: Handover) -> QuerySet[HandoverLine]:
    return handover.lines.select_related(
        "item__category", "outlet", "keeper_by", "receiver_by", "incident"
    ).order_by("item__asset_no", "id")


def open_handover_line(item: Item, holder) -> HandoverLine | None:
    if holder is None:
        return None
    return (
        HandoverLine.objects.filter(
            item=item,
            handover__person=holder,
            handover__status=Handover.Status.OPEN,
            state__in=(HandoverLine.State.PENDING, HandoverLine.State.COUNTED),
        )
        .select_related("handover")
        .first()
    )


def open_handover_lines_of_item(item: Item) -> QuerySet[HandoverLine]:
    return HandoverLine.objects.filter(
        item=item,
        handover__status=Handover.Status.OPEN,
        state__in=(HandoverLine.State.PENDING, HandoverLine.State.COUNTED),
    ).select_related("handover__person", "handover__receiver")


# -- incidents ------------------------------------------------------------------------------


def incidents_for(user) -> QuerySet[Incident]:
    return Incident.objects.visible_to(user).select_related(
        "item__category", "responsible", "team", "prepared_by"
    )


def incident_detail(user, pk: int) -> Incident:
    return get_object_or_404(incidents_for(user), pk=pk)


@dataclass(frozen=True)
class Charge:
    """An amount decided against a person for a month's pay (R-4.4)."""

    incident_id: int
    reference: str  # the incident's number, e.g. SS00012
    amount: Decimal
    item: str
    kind: str
    reason: str
    url: str


def _charges(year: int, month: int) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(
            status=Incident.Status.APPROVED,
            decision=Incident.Decision.CHARGE,
            charged_amount__gt=0,
            deduct_month=dt.date(year, month, 1),
        )
        .select_related("item")
        .order_by("id")
    )


def _as_charge(incident: Incident) -> Charge:
    return Charge(
        incident_id=incident.pk,
        reference=incident.number,
        amount=incident.charged_amount,
        item=str(incident.item),
        kind=incident.get_kind_display(),
        reason=incident.decision_reason,
        url=incident.get_absolute_url(),
    )


def charges_for(person, year: int, month: int) -> list[Charge]:
    """Approved charges to deduct from ``person``'s pay for the month."""
    return [_as_charge(i) for i in _charges(year, month).filter(responsible=person)]


def charges_by_person(year: int, month: int, *, branch=None) -> dict[int, list[Charge]]:
    """Every person's charges for the month (one query), keyed by person id."""
    queryset = _charges(year, month)
    if branch is not None:
        queryset = queryset.filter(branch=branch)
    out: dict[int, list[Charge]] = defaultdict(list)
    for incident in queryset:
        out[incident.responsible_id].append(_as_charge(incident))
    return dict(out)


def charges_up_to(year: int, month: int, *, branch=None) -> dict[int, list[Charge]]:
    """Every charge whose deduction starts in the month or earlier, per
    person, oldest first (one query): payroll deducts what is still owed,
    carrying over what the 20 % cap left (R-4.4)."""
    queryset = (
        Incident.objects.filter(
            status=Incident.Status.APPROVED,
            decision=Incident.Decision.CHARGE,
            charged_amount__gt=0,
            deduct_month__lte=dt.date(year, month, 1),
        )
        .select_related("item")
        .order_by("deduct_month", "id")
    )
    if branch is not None:
        queryset = queryset.filter(branch=branch)
    out: dict[int, list[Charge]] = defaultdict(list)
    for incident in queryset:
        out[incident.responsible_id].append(_as_charge(incident))
    return dict(out)


def charges_total(person, year: int, month: int) -> Decimal:
    total = _charges(year, month).filter(responsible=person).aggregate(s=Sum("charged_amount"))
    return total["s"] or Decimal("0.00")


# -- stock-taking ------------------------------------------------------------------------------


def stocktakes_for(user) -> QuerySet[StockTake]:
    return StockTake.objects.visible_to(user).select_related(
        "outlet", "team", "opened_by", "closed_by"
    )


def stocktake_detail(user, pk: int) -> StockTake:
    return get_object_or_404(stocktakes_for(user), pk=pk)


def stocktake_lines(stocktake: StockTake) -> QuerySet[StockTakeLine]:
    return stocktake.lines.select_related(
        "item__category", "holder", "counted_by", "incident"
    ).order_by("holder__employee_no", "item__asset_no", "id")


def open_stocktake_lines(item: Item) -> QuerySet[StockTakeLine]:
    return StockTakeLine.objects.filter(
        item=item, stocktake__status=StockTake.Status.OPEN
    ).select_related("stocktake", "holder")


def open_stocktake_at(team_id: int, outlet_ids) -> StockTake | None:
    return (
        StockTake.objects.filter(
            team_id=team_id, outlet_id__in=outlet_ids, status=StockTake.Status.OPEN
        )
        .select_related("outlet")
        .first()
    )


# -- ledger integrity ---------------------------------------------------------------------------


def ledger_balances(items=None) -> dict[tuple[int, int, int | None], int]:
    """Holdings recomputed from the ledger alone: (item, outlet, holder) → quantity.
    A side with an outlet is a place; its holder None is the store."""
    movements = Movement.objects.all()
    if items is not None:
        movements = movements.filter(item__in=items)
    balances: dict[tuple[int, int, int | None], int] = defaultdict(int)
    inflow = movements.filter(to_outlet__isnull=False).values_list(
        "item_id", "to_outlet_id", "to_holder_id", "quantity"
    )
    outflow = movements.filter(from_outlet__isnull=False).values_list(
        "item_id", "from_outlet_id", "from_holder_id", "quantity"
    )
    for item, outlet, holder, qty in inflow:
        balances[(item, outlet, holder)] += qty
    for item, outlet, holder, qty in outflow:
        balances[(item, outlet, holder)] -= qty
    return {key: qty for key, qty in balances.items() if qty != 0}


def ledger_discrepancies(items=None) -> list[str]:
    """Where the holdings (and the register's quantities) differ from the
    ledger; empty when the books are consistent."""
    expected = ledger_balances(items)
    holdings = Holding.objects.all()
    register = Item.objects.all()
    if items is not None:
        holdings = holdings.filter(item__in=items)
        register = register.filter(pk__in=[getattr(i, "pk", i) for i in items])
    actual = {
        (h.item_id, h.outlet_id, h.holder_id): h.quantity
        for h in holdings.only("item_id", "outlet_id", "holder_id", "quantity")
    }
    problems = [
        f"实物 {key[0]} 网点 {key[1]} 保管人 {key[2]}：流水 {expected.get(key, 0)}，持有 {actual.get(key, 0)}"
        for key in sorted(set(expected) | set(actual), key=str)
        if expected.get(key, 0) != actual.get(key, 0)
    ]
    totals: dict[int, int] = defaultdict(int)
    for (item, _outlet, _holder), qty in expected.items():
        totals[item] += qty
    for item_id, quantity in register.values_list("pk", "quantity"):
        if totals.get(item_id, 0) != quantity:
            problems.append(f"实物 {item_id}：流水合计 {totals.get(item_id, 0)}，账面 {quantity}")
    return problems


# -- to-dos -------------------------------------------------------------------------------------


def lines_awaiting(user) -> int:
    """Handover lines waiting for this user: to count as keeper, to confirm as receiver."""
    from assets.permissions import kept_team_ids

    teams = kept_team_ids(user)
    q = Q(
        handover__receiver_id=user.pk,
        state=HandoverLine.State.COUNTED,
        disposition=HandoverLine.Disposition.TO_RECEIVER,
    )
    if teams:
        q |= Q(handover__team_id__in=teams, state=HandoverLine.State.PENDING)
    return HandoverLine.objects.filter(q, handover__status=Handover.Status.OPEN).count()
