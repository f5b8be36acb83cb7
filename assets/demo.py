"""Demo assets: every team's computers, phones, outlet equipment and
promotional material with a few years of ledger history (R-4.1–R-4.4).

The bulk of it is simulated in memory — each item's movements in date order,
holdings applied as they go, never below zero — and inserted in bulk, so the
large scale stays quick. Team A then gets documents made through the real
services: outlet custodians, a closed stock-take, an approved charge against
demo_cm (for payroll), an incident waiting for a decision, and an open
handover of a client manager marked leaving.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from assets.models import Category, Holding, Item, Movement
from portal.demo import DemoContext

BATCH = 2000
K = Movement.Kind

# name, specification, value, category code
LAPTOPS = (
    ("笔记本电脑", "联想 ThinkPad T14 / i5 / 16G", "6299.00"),
    ("笔记本电脑", "华为 MateBook 14 / i5 / 16G", "5699.00"),
    ("笔记本电脑", "戴尔 Latitude 5440 / i5 / 16G", "5999.00"),
)
PHONE = ("工作手机", "华为 nova 12 / 256G", "2699.00")
PAD = ("移动展业平板", "华为 MatePad 11.5 / 128G", "2299.00")
USB_KEY = ("加密U盘", "朗科 64G 硬件加密", "129.00")
OUTLET_GEAR = (
    ("台式电脑", "联想 启天 M437 + 23.8 英寸显示器", "4399.00", "PC"),
    ("激光打印机", "惠普 LaserJet Pro M305d", "1899.00", "OF"),
    ("碎纸机", "得力 9911 五级保密", "499.00", "OF"),
    ("验钞机", "康艺 JBYD-2300", "899.00", "OF"),
    ("文件柜", "钢制四门 带锁", "760.00", "OF"),
    ("座机电话", "步步高 HCD007", "129.00", "OF"),
)
STANDS = (
    ("易拉宝展架", "80×200 cm 铝合金", "120.00", 3),
    ("X 型展架", "60×160 cm", "45.00", 2),
    ("资料展示架", "落地式 A4 六格", "280.00", 1),
)
STOCK = (
    ("基金宣传折页", "A4 三折页", "1.50"),
    ("开户指南手册", "32 开 24 页", "6.00"),
    ("定制雨伞", "三折自动伞 印公司标识", "35.00"),
    ("环保购物袋", "无纺布 印公司标识", "8.00"),
    ("投资者教育海报", "60×90 cm", "5.00"),
    ("两融业务宣传单", "A5 双面", "0.80"),
    ("定制笔记本", "A5 皮面 印公司标识", "18.00"),
    ("企业微信二维码台卡", "亚克力 10×15 cm", "12.00"),
)


@dataclass
class Plan:
    """One item and its movements, simulated in date order."""

    item: Item
    moves: list[dict] = field(default_factory=list)
    held: dict[tuple[int, int | None], int] = field(default_factory=lambda: defaultdict(int))

    def move(self, kind, on, qty=1, src=None, dst=None, note="", by=None) -> None:
        if src is not None:
            key = (src[0].pk, src[1].pk if src[1] else None)
            assert self.held[key] >= qty, (self.item.name, kind, key)  # noqa: S101 -- demo invariant
            self.held[key] -= qty
        if dst is not None:
            self.held[(dst[0].pk, dst[1].pk if dst[1] else None)] += qty
        self.moves.append(
            {
                "kind": kind,
                "quantity": qty,
                "occurred_on": on,
                "from_outlet": src[0] if src else None,
                "from_holder": src[1] if src else None,
                "to_outlet": dst[0] if dst else None,
                "to_holder": dst[1] if dst else None,
                "note": note,
                "recorded_by": by,
            }
        )

    def available(self, outlet, holder=None) -> int:
        return self.held[(outlet.pk, holder.pk if holder else None)]


class Builder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.categories = {c.code: c for c in Category.objects.all()}
        self.plans: list[Plan] = []
        self.serial: dict[tuple[int, str], int] = defaultdict(int)

    def day(self, start: dt.date, end: dt.date) -> dt.date:
        end = min(end, self.today)
        start = min(start, end)
        return self.ctx.date_between(start, end)

    def item(self, team, code, name, spec, value, purchased, keeper) -> Plan:
        self.serial[(team.pk, code)] += 1
        item = Item(
            asset_no=f"{team.code}-{code}-{self.serial[(team.pk, code)]:04d}",
            name=name,
            category=self.categories[code],
            specification=spec,
            purchase_date=purchased,
            value=Decimal(value),
            branch_id=team.branch_id,
            team=team,
            registered_by=keeper,
        )
        plan = Plan(item)
        self.plans.append(plan)
        return plan

    def issued_unit(self, team, keeper, store, code, spec_row, person, start) -> Plan:
        """A unit bought for a person: received, sometimes first used by a
        colleague, then issued to him."""
        name, spec, value = spec_row
        bought = self.day(start - dt.timedelta(days=20), start)
        plan = self.item(team, code, name, spec, value, bought, keeper)
        plan.move(K.RECEIVE, bought, dst=(store, None), note="采购入库", by=keeper)
        on = self.day(bought, bought + dt.timedelta(days=7))
        colleagues = [c for c in self.team_people if c is not person and c.outlet_id]
        if colleagues and self.rng.random() < 0.12 and (self.today - on).days > 120:
            before = self.rng.choice(colleagues)
            plan.move(K.ISSUE, on, src=(store, None), dst=(before.outlet, before), by=keeper)
            back = self.day(on + dt.timedelta(days=30), self.today - dt.timedelta(days=40))
            plan.move(K.RETURN, back, src=(before.outlet, before), dst=(store, None), by=keeper)
            on = self.day(back, back + dt.timedelta(days=5))
        plan.move(K.ISSUE, on, src=(store, None), dst=(person.outlet or store, person), by=keeper)
        return plan

    def team(self, team, people, keeper) -> None:
        rng = self.rng
        store = keeper.outlet
        outlets = sorted({p.outlet for p in people if p.outlet_id}, key=lambda o: o.code)
        founded = team.founded_on or self.today - dt.timedelta(days=3 * 365)
        self.team_people = people
        for person in people:
            start = max(founded, person.hired_on or founded)
            self.issued_unit(team, keeper, store, "PC", rng.choice(LAPTOPS), person, start)
            if rng.random() < 0.8 or person.employee_no == "demo_cm":
                self.issued_unit(team, keeper, store, "OF", PHONE, person, start)
            if rng.random() < 0.4:
                self.issued_unit(team, keeper, store, "PC", PAD, person, start)
            self.issued_unit(team, keeper, store, "PC", USB_KEY, person, start)
            if rng.random() < 0.15 and (self.today - start).days > 500:
                # An old laptop, returned and scrapped.
                name, spec, value = rng.choice(LAPTOPS)
                old = self.item(team, "PC", name, spec, value, founded, keeper)
                old.move(K.RECEIVE, founded, dst=(store, None), note="采购入库", by=keeper)
                old.move(
                    K.ISSUE,
                    start,
                    src=(store, None),
                    dst=(person.outlet or store, person),
                    by=keeper,
                )
                back = self.day(start + dt.timedelta(days=200), self.today - dt.timedelta(days=60))
                old.move(
                    K.RETURN,
                    back,
                    src=(person.outlet or store, person),
                    dst=(store, None),
                    by=keeper,
                )
                old.move(
                    K.SCRAP,
                    self.day(back, back + dt.timedelta(days=20)),
                    src=(store, None),
                    note="使用年限已满，电池鼓包",
                    by=keeper,
                )
        for outlet in outlets:
            here = [p for p in people if p.outlet_id == outlet.pk] or people
            for name, spec, value, code in OUTLET_GEAR:
                bought = self.day(founded, founded + dt.timedelta(days=60))
                plan = self.item(team, code, name, spec, value, bought, keeper)
                plan.move(K.RECEIVE, bought, dst=(outlet, None), note="采购入库", by=keeper)
                if name in ("台式电脑", "激光打印机", "验钞机"):
                    holder = here[0]
                    plan.move(
                        K.ISSUE,
                        self.day(bought, bought + dt.timedelta(days=5)),
                        src=(outlet, None),
                        dst=(outlet, holder),
                        note="网点公用",
                        by=keeper,
                    )
            for name, spec, value, count in STANDS:
                for n in range(count):
                    bought = self.day(founded, self.today - dt.timedelta(days=90))
                    plan = self.item(team, "PD", name, spec, value, bought, keeper)
                    plan.move(K.RECEIVE, bought, dst=(outlet, None), note="采购入库", by=keeper)
                    if n < count - 1:
                        holder = rng.choice(here)
                        plan.move(
                            K.ISSUE,
                            self.day(bought, bought + dt.timedelta(days=10)),
                            src=(outlet, None),
                            dst=(outlet, holder),
                            by=keeper,
                        )
        for _ in range(2):  # spare laptops just bought
            name, spec, value = rng.choice(LAPTOPS)
            bought = self.day(self.today - dt.timedelta(days=40), self.today - dt.timedelta(days=5))
            plan = self.item(team, "PC", name, spec, value, bought, keeper)
            plan.move(K.RECEIVE, bought, dst=(store, None), note="备用机入库", by=keeper)
        for name, spec, value in STOCK:
            self.stock(team, keeper, store, people, name, spec, value, founded)

    def stock(self, team, keeper, store, people, name, spec, value, founded) -> None:
        rng = self.rng
        first = self.day(founded, founded + dt.timedelta(days=90))
        plan = self.item(team, "PR", name, spec, value, first, keeper)
        receipts = sorted(
            [first]
            + [
                self.day(first, self.today - dt.timedelta(days=10))
                for _ in range(rng.randint(1, 2))
            ]
        )
        events = [(d, "receive") for d in receipts]
        events += [
            (self.day(first, self.today - dt.timedelta(days=1)), "issue")
            for _ in range(rng.randint(5, 10))
        ]
        for on, what in sorted(events):
            if what == "receive":
                plan.move(
                    K.RECEIVE,
                    on,
                    rng.choice((200, 300, 500)),
                    dst=(store, None),
                    note="印制入库",
                    by=keeper,
                )
                continue
            person = rng.choice([p for p in people if p.outlet_id] or people)
            qty = min(rng.choice((10, 20, 30, 50)), plan.available(store))
            if not qty:
                continue
            plan.move(K.ISSUE, on, qty, src=(store, None), dst=(person.outlet, person), by=keeper)
            used = rng.randint(0, qty)
            if used and on < self.today:
                plan.move(
                    K.CONSUME,
                    self.day(on, self.today),
                    used,
                    src=(person.outlet, person),
                    note=rng.choice(("客户沙龙发放", "网点活动发放", "走访客户发放")),
                    by=keeper,
                )

    def save(self) -> None:
        items = []
        for plan in self.plans:
            item = plan.item
            held = {k: q for k, q in plan.held.items() if q}
            item.quantity = sum(held.values())
            item.in_store = sum(q for (_, holder), q in held.items() if holder is None)
            last = plan.moves[-1]["kind"]
            first_outlet = plan.moves[0]["to_outlet"]
            if item.category.is_stock:
                item.outlet = first_outlet
                item.status = (
                    Item.Status.IN_STORE
                    if item.in_store
                    else Item.Status.IN_USE
                    if item.quantity
                    else Item.Status.USED_UP
                )
            elif held:
                ((outlet_id, holder_id),) = held.keys()
                item.outlet_id, item.custodian_id = outlet_id, holder_id
                item.status = Item.Status.IN_STORE if holder_id is None else Item.Status.IN_USE
            else:
                item.outlet = plan.moves[-1]["from_outlet"] or first_outlet
                item.status = Item.Status.SCRAPPED if last == K.SCRAP else Item.Status.LOST
            items.append(item)
        bulk_create_with_history(items, Item, batch_size=BATCH)
        movements, holdings = [], []
        for plan in self.plans:
            item = plan.item
            for move in sorted(plan.moves, key=lambda m: m["occurred_on"]):
                movements.append(
                    Movement(item=item, branch_id=item.branch_id, team_id=item.team_id, **move)
                )
            for (outlet_id, holder_id), qty in plan.held.items():
                if qty:
                    holdings.append(
                        Holding(item=item, outlet_id=outlet_id, holder_id=holder_id, quantity=qty)
                    )
        Movement.objects.bulk_create(movements, batch_size=BATCH)
        Holding.objects.bulk_create(holdings, batch_size=BATCH)
        self.counts = (len(items), len(movements))


def seed(ctx: DemoContext) -> None:
    builder = Builder(ctx)
    for team in ctx.data["teams"]:
        leader = ctx.data["leaders"][team.pk]
        people = [leader, *ctx.data["cms_by_team"].get(team.pk, [])]
        builder.team(team, people, leader)
    builder.save()
    items, movements = builder.counts
    showcase(ctx)
    ctx.say(f"  实物：{items} 件登记，{movements} 笔出入库流水")


def showcase(ctx: DemoContext) -> None:
    """Team A's documents, made through the services as users would."""
    from approvals import services as approvals
    from approvals.models import Task
    from assets import services
    from staff import services as staff_services

    keeper = ctx.logins["demo_tl"][0]
    bm = ctx.logins["demo_bm"][0]
    demo_cm = ctx.logins["demo_cm"][0]
    demo_gl = ctx.logins["demo_gl"][0]
    team = keeper.team
    cms = ctx.data["cms_by_team"][team.pk]
    outlets = sorted({c.outlet for c in cms}, key=lambda o: o.code)
    for outlet in outlets:
        here = [c for c in cms if c.outlet_id == outlet.pk]
        custodian = demo_gl if demo_gl in here else here[0]
        services.set_outlet_custodian(
            actor=keeper,
            team=team,
            outlet=outlet,
            person=custodian,
            on=ctx.today - dt.timedelta(days=90),
        )

    # A closed stock-take at the team's second outlet: one surplus booked in.
    outlet = outlets[-1]
    take = services.open_stocktake(
        actor=keeper,
        team=team,
        outlet=outlet,
        on=ctx.today - dt.timedelta(days=12),
        note="季度盘点",
    )
    counts = {line.pk: line.expected for line in take.lines.select_related("item")}
    surplus = take.lines.filter(item__category__code="PR").order_by("pk").first()
    if surplus is not None:
        counts[surplus.pk] = surplus.expected + 2
    services.record_counts(actor=keeper, stocktake=take, counts=counts)
    if surplus is not None:
        services.resolve_line(actor=keeper, line=surplus, how="ledger")
    services.close_stocktake(actor=keeper, stocktake=take)

    # demo_cm lost his work phone: charged, approved (the keeper leads the
    # team, so the decision goes to the branch manager), due this month.
    phone = Item.objects.filter(custodian=demo_cm, name=PHONE[0]).first()
    if phone is not None:
        incident = services.report_incident(
            actor=keeper,
            item=phone,
            kind="loss",
            responsible=demo_cm,
            occurred_on=ctx.today - dt.timedelta(days=15),
            circumstances="外出拜访客户后遗失在出租车上，联系司机未果。",
        )
        services.update_incident(
            actor=keeper,
            incident=incident,
            decision="charge",
            charged_amount=(phone.value / 2).quantize(Decimal("0.01")),
            decision_reason="保管不善，按原值五成赔偿。",
        )
        request = services.submit_incident(actor=keeper, incident=incident)
        task = request.tasks.get(status=Task.Status.OPEN)
        approvals.approve_task(actor=bm, task=task, opinion="同意按五成赔偿。")

    # A damaged printer waiting for the keeper's proposal.
    printer = Item.objects.filter(team=team, name="激光打印机", custodian__isnull=False).first()
    if printer is not None:
        services.report_incident(
            actor=keeper,
            item=printer,
            kind="damage",
            responsible=printer.custodian,
            occurred_on=ctx.today - dt.timedelta(days=3),
            circumstances="搬动时跌落，进纸器断裂。",
            assessed_amount=Decimal("350.00"),
        )

    # A client manager marked leaving: his handover is open.
    logins = {u.pk for u, _ in ctx.logins.values()}
    leaving = next((c for c in reversed(cms) if c.pk not in logins and c.status == "active"), None)
    if leaving is not None:
        staff_services.change_status(
            actor=keeper,
            user=leaving,
            status="leaving",
            on=ctx.today - dt.timedelta(days=2),
            reason="个人原因提出离职",
        )
