"""Stock-taking per outlet: expected vs counted, each difference resolved
into a ledger entry or an incident; the outlet is frozen meanwhile."""

import pytest
from django.core.exceptions import ValidationError

from assets import selectors, services
from assets.models import Incident, StockTake
from assets.services.ledger import Place
from tests.assets.conftest import brochures, issue, laptops

pytestmark = pytest.mark.django_db


def _setup(ao):
    gear = laptops(ao, 2)
    issue(ao, gear[0], ao.a_cm1)
    leaflets = brochures(ao, 40)
    elsewhere = laptops(ao, outlet=ao.o2)[0]
    return gear, leaflets, elsewhere


def _lines(take):
    return {(line.item_id, line.holder_id): line for line in take.lines.all()}


def test_opening_snapshots_the_books_at_the_outlet(ao):
    gear, leaflets, _elsewhere = _setup(ao)
    take = services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    assert {k: line.expected for k, line in _lines(take).items()} == {
        (gear[0].pk, ao.a_cm1.pk): 1,
        (gear[1].pk, None): 1,
        (leaflets.pk, None): 40,
    }
    with pytest.raises(ValidationError, match="已有进行中的盘点"):
        services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    with pytest.raises(ValidationError, match="没有本团队的账面实物"):
        services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o3)
    with pytest.raises(ValidationError, match="只有本团队的实物管理员"):
        services.open_stocktake(actor=ao.a_cm1, team=ao.team_a, outlet=ao.o2)


def test_the_outlet_is_frozen_while_counting(ao):
    _gear, leaflets, elsewhere = _setup(ao)
    services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    with pytest.raises(ValidationError, match="正在盘点"):
        issue(ao, leaflets, ao.a_cm2, quantity=5)
    issue(ao, elsewhere, ao.a_cm2)  # another outlet carries on


def test_differences_are_resolved_into_the_ledger_or_an_incident(ao):
    gear, leaflets, _ = _setup(ao)
    take = services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    lines = _lines(take)
    laptop_line = lines[(gear[0].pk, ao.a_cm1.pk)]
    store_laptop = lines[(gear[1].pk, None)]
    leaflet_line = lines[(leaflets.pk, None)]
    with pytest.raises(ValidationError, match="应为 0 或 1"):
        services.record_counts(actor=ao.keeper, stocktake=take, counts={store_laptop.pk: 2})
    services.record_counts(
        actor=ao.keeper,
        stocktake=take,
        counts={laptop_line.pk: 0, store_laptop.pk: 1, leaflet_line.pk: 43},
    )
    with pytest.raises(ValidationError, match="尚有 2 项差异未处理"):
        services.close_stocktake(actor=ao.keeper, stocktake=take)
    laptop_line.refresh_from_db()
    store_laptop.refresh_from_db()
    assert (store_laptop.resolution, laptop_line.difference) == ("matched", -1)
    with pytest.raises(ValidationError, match="盘盈不能登记为损失事件"):
        services.resolve_line(actor=ao.keeper, line=leaflet_line, how="incident")
    services.resolve_line(actor=ao.keeper, line=leaflet_line, how="ledger")
    services.resolve_line(
        actor=ao.keeper, line=laptop_line, how="incident", circumstances="本人称遗失在客户处"
    )
    take = services.close_stocktake(actor=ao.keeper, stocktake=take)
    assert take.status == StockTake.Status.CLOSED
    leaflets.refresh_from_db()
    assert leaflets.quantity == 43
    assert leaflets.movements.filter(kind="count_gain", stocktake=take, quantity=3).exists()
    incident = Incident.objects.get()
    assert (incident.responsible, incident.source, incident.item) == (
        ao.a_cm1,
        "stocktake",
        gear[0],
    )
    gear[0].refresh_from_db()
    assert gear[0].status == "lost"
    issue(ao, leaflets, ao.a_cm2, quantity=5)  # unfrozen
    assert selectors.ledger_discrepancies() == []


def test_a_shortage_may_simply_be_written_off(ao):
    _, leaflets, _ = _setup(ao)
    take = services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    line = _lines(take)[(leaflets.pk, None)]
    services.record_counts(actor=ao.keeper, stocktake=take, counts={line.pk: 31})
    with pytest.raises(ValidationError, match="库存短缺请指定责任人"):
        services.resolve_line(actor=ao.keeper, line=line, how="incident")
    services.resolve_line(actor=ao.keeper, line=line, how="ledger")
    loss = leaflets.movements.get(kind="count_loss")
    assert (loss.quantity, loss.from_holder, loss.from_outlet) == (9, None, ao.o1)
    with pytest.raises(ValidationError, match="尚有 2 项未盘点"):
        services.close_stocktake(actor=ao.keeper, stocktake=take)


def test_a_keeper_confirms_an_item_from_its_page(client, ao):
    gear, _, _ = _setup(ao)
    take = services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    line = _lines(take)[(gear[0].pk, ao.a_cm1.pk)]
    client.force_login(ao.keeper)
    page = client.get(f"/assets/q/{gear[0].asset_no}/", follow=True)
    assert page.redirect_chain == [(f"/assets/items/{gear[0].pk}/", 302)]
    assert "确认在位" in page.content.decode()
    client.post(f"/assets/items/{gear[0].pk}/stocktake/{line.pk}/present/")
    line.refresh_from_db()
    assert (line.counted, line.resolution, line.counted_by) == (1, "matched", ao.keeper)
    # The person holding it sees no button: he does not count his own.
    client.force_login(ao.a_cm1)
    assert "stocktake-confirm" not in client.get(f"/assets/items/{gear[0].pk}/").content.decode()


def test_counting_and_resolving_through_the_pages(client, ao):
    _gear, leaflets, _ = _setup(ao)
    client.force_login(ao.keeper)
    response = client.post(
        "/assets/stocktakes/new/", {"team": ao.team_a.pk, "outlet": ao.o1.pk, "note": "月末盘点"}
    )
    take = StockTake.objects.get()
    assert response.url == f"/assets/stocktakes/{take.pk}/"
    lines = _lines(take)
    posted = {f"line-{line.pk}": line.expected for line in lines.values()}
    posted[f"line-{lines[(leaflets.pk, None)].pk}"] = 38
    client.post(f"/assets/stocktakes/{take.pk}/count/", posted)
    page = client.get(f"/assets/stocktakes/{take.pk}/").content.decode()
    assert "差异 -2" in page
    client.post(
        f"/assets/stocktakes/{take.pk}/lines/{lines[(leaflets.pk, None)].pk}/resolve/",
        {"how": "ledger"},
    )
    client.post(f"/assets/stocktakes/{take.pk}/close/")
    take.refresh_from_db()
    assert take.status == "closed"
    # A regional manager sees stock-takes of the outlets he covers, not others.
    client.force_login(ao.a_rm)
    assert client.get(f"/assets/stocktakes/{take.pk}/").status_code == 404
    assert Place(ao.o1) == Place(ao.o1, None)


def test_the_printed_count_sheet(client, ao, tmp_path):
    import subprocess

    gear, _, _ = _setup(ao)
    take = services.open_stocktake(actor=ao.keeper, team=ao.team_a, outlet=ao.o1)
    client.force_login(ao.keeper)
    response = client.get(f"/assets/stocktakes/{take.pk}/pdf/")
    pdf = tmp_path / "take.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("实物盘点表", take.number, gear[0].asset_no, "甲经理一", "盘点人签字"):
        assert expected in text, expected
