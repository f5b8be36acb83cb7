"""R-4.3: the append-only ledger and the holdings derived from it — holdings
equal the sum of movements, no negative stock, one holder per item."""

import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from assets import selectors, services
from assets.models import AppendOnlyError, Holding, Item, Movement
from assets.services.ledger import Place, post_movement
from staff import services as staff_services
from tests.assets.conftest import brochures, issue, laptops

pytestmark = pytest.mark.django_db


def test_equipment_is_registered_one_numbered_item_per_unit(ao):
    items = laptops(ao, 3)
    assert [i.asset_no for i in items] == [
        f"{ao.team_a.code}-PC-0001",
        f"{ao.team_a.code}-PC-0002",
        f"{ao.team_a.code}-PC-0003",
    ]
    more = laptops(ao, 1)
    assert more[0].asset_no == f"{ao.team_a.code}-PC-0004"
    for item in Item.objects.all():
        assert (item.status, item.quantity, item.in_store, item.outlet) == (
            Item.Status.IN_STORE,
            1,
            1,
            ao.o1,
        )
        assert list(item.movements.values_list("kind", flat=True)) == ["receive"]
    assert selectors.ledger_discrepancies() == []


def test_issue_and_transfer_keep_one_holder_per_item(ao):
    (laptop,) = laptops(ao)
    issue(ao, laptop, ao.a_cm1)
    laptop.refresh_from_db()
    assert (laptop.custodian, laptop.status, laptop.in_store) == (ao.a_cm1, "in_use", 0)
    # The store is empty now: a second issue of the same unit is refused.
    with pytest.raises(ValidationError, match="库存不足"):
        issue(ao, laptop, ao.a_cm2)
    services.record_movement(
        actor=ao.keeper,
        item=laptop,
        kind="transfer",
        quantity=1,
        source=Place(ao.o1, ao.a_cm1),
        target=Place(ao.o2, ao.a_cm2),
    )
    laptop.refresh_from_db()
    assert (laptop.custodian, laptop.outlet) == (ao.a_cm2, ao.o2)
    assert Holding.objects.filter(item=laptop).count() == 1
    # Bringing a unit that is already held onto the books again is refused.
    with pytest.raises(ValidationError, match="只能有一个保管人"):
        post_movement(
            actor=ao.keeper, item=laptop, kind="count_gain", quantity=1, target=Place(ao.o1)
        )
    with pytest.raises(ValidationError, match="每次数量为 1"):
        services.record_movement(
            actor=ao.keeper,
            item=laptop,
            kind="return",
            quantity=2,
            source=Place(ao.o2, ao.a_cm2),
            target=Place(ao.o2),
        )
    assert selectors.ledger_discrepancies() == []


def test_stock_is_counted_and_never_goes_negative(ao):
    item = brochures(ao, 100)
    issue(ao, item, ao.a_cm1, quantity=30)
    issue(ao, item, ao.a_cm2, quantity=50)
    with pytest.raises(ValidationError, match="库存不足：现有 20，需要 30"):
        issue(ao, item, ao.a_cm1, quantity=30)
    services.record_movement(
        actor=ao.keeper,
        item=item,
        kind="consume",
        quantity=10,
        source=Place(ao.o1, ao.a_cm1),
        note="客户沙龙发放",
    )
    with pytest.raises(ValidationError, match="只保管 20，不足 25"):
        services.record_movement(
            actor=ao.keeper,
            item=item,
            kind="return",
            quantity=25,
            source=Place(ao.o1, ao.a_cm1),
            target=Place(ao.o1),
        )
    services.receive_stock(actor=ao.keeper, item=item, quantity=40, outlet=ao.o2)
    item.refresh_from_db()
    assert (item.quantity, item.in_store, item.issued, item.status) == (130, 60, 70, "in_store")
    held = {(h.outlet_id, h.holder_id): h.quantity for h in Holding.objects.filter(item=item)}
    assert held == {
        (ao.o1.pk, None): 20,
        (ao.o2.pk, None): 40,
        (ao.o1.pk, ao.a_cm1.pk): 20,
        (ao.o2.pk, ao.a_cm2.pk): 50,
    }
    assert selectors.ledger_discrepancies() == []


def test_holdings_equal_the_sum_of_movements_after_random_traffic(ao):
    """Hundreds of random movements, many refused: after each one the
    holdings are exactly what the ledger adds up to, and never negative."""
    rng = random.Random(7)
    item = brochures(ao, 50)
    gear = laptops(ao, 3)
    people = [ao.a_cm1, ao.a_cm2, ao.a_gl, ao.a_tl]
    outlets = [ao.o1, ao.o2]
    refused = 0
    for _ in range(150):
        target_item = rng.choice([item, *gear])
        holdings = list(Holding.objects.filter(item=target_item).select_related("outlet", "holder"))
        source = rng.choice(holdings) if holdings else None
        kind = rng.choice(["issue", "transfer", "return", "consume", "scrap"])
        quantity = rng.randint(1, 30) if target_item is item else 1
        src = Place(source.outlet, source.holder) if source else Place(ao.o1)
        person = rng.choice(people)
        tgt = {
            "issue": Place(rng.choice(outlets), person),
            "transfer": Place(rng.choice(outlets), rng.choice([person, None])),
            "return": Place(src.outlet),
        }.get(kind)
        if kind == "scrap" and rng.random() < 0.8:
            kind = "issue"
            tgt = Place(src.outlet, person)
        try:
            services.record_movement(
                actor=ao.keeper,
                item=target_item,
                kind=kind,
                quantity=quantity,
                source=src,
                target=tgt,
            )
        except ValidationError:
            refused += 1
        if rng.random() < 0.1:
            services.receive_stock(
                actor=ao.keeper, item=item, quantity=rng.randint(1, 20), outlet=rng.choice(outlets)
            )
        assert selectors.ledger_discrepancies() == []
        assert not Holding.objects.filter(quantity__lte=0).exists()
        for unit in gear:
            assert Holding.objects.filter(item=unit).count() <= 1
    assert 0 < refused < 150


def test_the_ledger_is_append_only(ao):
    (laptop,) = laptops(ao)
    movement = laptop.movements.get()
    movement.note = "改一下"
    with pytest.raises(AppendOnlyError):
        movement.save()
    with pytest.raises(AppendOnlyError):
        movement.delete()
    with pytest.raises(AppendOnlyError):
        Movement.objects.filter(pk=movement.pk).update(note="x")
    with pytest.raises(AppendOnlyError):
        Movement.objects.all().delete()
    assert Movement.objects.get(pk=movement.pk).note == "登记入库"


def test_only_the_teams_keeper_and_leader_record_movements(ao):
    (laptop,) = laptops(ao)
    for outsider in (ao.a_cm1, ao.a_gl, ao.a_rm, ao.b_tl, ao.bm1):
        with pytest.raises(ValidationError, match="只有本团队的实物管理员或团队负责人"):
            issue(ao, laptop, ao.a_cm1, actor=outsider)
    issue(ao, laptop, ao.a_cm1, actor=ao.a_tl)  # the leader may
    with pytest.raises(ValidationError, match="只有本团队的实物管理员或团队负责人"):
        laptops(ao, actor=ao.a_cm1)


def test_items_go_only_to_active_members_of_the_team(ao):
    (laptop,) = laptops(ao)
    with pytest.raises(ValidationError, match="不是“A 团队”的成员"):
        issue(ao, laptop, ao.b_cm1)
    staff_services.change_status(
        actor=ao.a_tl, user=ao.a_cm2, status="leaving", on=ao.a_cm2.hired_on
    )
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm2, status="left", on=ao.a_cm2.hired_on)
    ao.a_cm2.refresh_from_db()
    with pytest.raises(ValidationError, match="已离职"):
        issue(ao, laptop, ao.a_cm2)
    with pytest.raises(ValidationError, match="不属于本营业部"):
        issue(ao, laptop, ao.a_cm1, outlet=ao.o4)


def test_scrap_and_consume_take_units_off_the_books(ao):
    (laptop,) = laptops(ao)
    item = brochures(ao, 10)
    with pytest.raises(ValidationError, match="设备不能“发放耗用”"):
        services.record_movement(
            actor=ao.keeper, item=laptop, kind="consume", quantity=1, source=Place(ao.o1)
        )
    services.record_movement(
        actor=ao.keeper, item=laptop, kind="scrap", quantity=1, source=Place(ao.o1), note="主板损坏"
    )
    services.record_movement(
        actor=ao.keeper, item=item, kind="consume", quantity=10, source=Place(ao.o1)
    )
    laptop.refresh_from_db()
    item.refresh_from_db()
    assert (laptop.status, laptop.quantity) == ("scrapped", 0)
    assert (item.status, item.quantity) == ("used_up", 0)
    with pytest.raises(ValidationError, match="由交接、盘点或损失事件产生"):
        services.record_movement(
            actor=ao.keeper, item=item, kind="count_gain", quantity=1, target=Place(ao.o1)
        )
    assert selectors.ledger_discrepancies() == []


def test_describing_fields_are_edited_with_history_but_not_the_number(ao):
    (laptop,) = laptops(ao)
    services.update_item(
        actor=ao.keeper, item=laptop, value=Decimal("5800.00"), specification="T14 Gen 5"
    )
    laptop.refresh_from_db()
    assert laptop.value == Decimal("5800.00")
    assert laptop.history.count() == 2
    assert laptop.history.first().history_user == ao.keeper


def test_the_ledger_check_command(ao):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    (laptop,) = laptops(ao)
    out = io.StringIO()
    call_command("check_asset_ledger", stdout=out)
    assert "一致" in out.getvalue()
    Holding.objects.filter(item=laptop).update(quantity=3)  # a bad manual repair
    with pytest.raises(CommandError, match="处不一致"):
        call_command("check_asset_ledger", stdout=io.StringIO())
