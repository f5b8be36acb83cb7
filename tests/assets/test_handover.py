"""R-4.3, R-1.7: a handover when a person is marked leaving or moves outlet;
keeper and receiver confirm line by line; missing items become incidents;
nobody becomes *left* while he still holds items."""

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError

from assets import selectors, services
from assets.models import Handover, HandoverLine, Holding, Incident
from assets.services.ledger import Place
from staff import services as staff_services
from tests.assets.conftest import brochures, issue, laptops

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 27)


def _equip(ao):
    """a_cm1 holds two laptops and 20 brochures; a_gl keeps outlet O1."""
    gear = laptops(ao, 2)
    for unit in gear:
        issue(ao, unit, ao.a_cm1)
    leaflets = brochures(ao, 50)
    issue(ao, leaflets, ao.a_cm1, quantity=20)
    services.set_outlet_custodian(actor=ao.keeper, team=ao.team_a, outlet=ao.o1, person=ao.a_gl)
    return gear, leaflets


def _leaving(ao, who=None):
    who = who or ao.a_cm1
    staff_services.change_status(actor=ao.a_tl, user=who, status="leaving", on=TODAY)
    return Handover.objects.get(person=who, status="open")


def test_marking_leaving_opens_a_handover_of_everything_he_holds(ao):
    gear, leaflets = _equip(ao)
    handover = _leaving(ao)
    assert (handover.reason, handover.team, handover.receiver) == ("leaving", ao.team_a, ao.a_gl)
    lines = {(line.item_id, line.expected) for line in handover.lines.all()}
    assert lines == {(gear[0].pk, 1), (gear[1].pk, 1), (leaflets.pk, 20)}
    # The keeper and the leader are told; so is the receiver.
    from approvals.models import Notice

    told = set(
        Notice.objects.filter(url=handover.get_absolute_url()).values_list("user", flat=True)
    )
    assert {ao.keeper.pk, ao.a_tl.pk, ao.a_gl.pk} <= told


def test_nobody_becomes_left_while_he_still_holds_items(ao):
    gear, _ = _equip(ao)
    _leaving(ao)
    with pytest.raises(ValidationError) as refused:
        staff_services.change_status(actor=ao.a_tl, user=ao.a_cm1, status="left", on=TODAY)
    message = refused.value.messages[0]
    assert "甲经理一 仍保管以下实物，须先办理实物交接" in message
    assert gear[0].asset_no in message
    assert "基金宣传折页" in message
    assert "×20份" in message
    ao.a_cm1.refresh_from_db()
    assert ao.a_cm1.status == "leaving"


def test_keeper_counts_receiver_confirms_then_he_may_leave(ao):
    gear, leaflets = _equip(ao)
    handover = _leaving(ao)
    assert services.count_all(actor=ao.keeper, handover=handover, disposition="receiver") == 3
    assert set(handover.lines.values_list("state", flat=True)) == {"counted"}
    # Only the receiver confirms.
    line = handover.lines.first()
    for other in (ao.keeper, ao.a_cm1, ao.a_cm2):
        with pytest.raises(ValidationError, match="只有交接单的接收人"):
            services.receive_line(actor=other, line=line)
    services.receive_line(actor=ao.a_gl, line=line)
    assert services.receive_all(actor=ao.a_gl, handover=handover) == 2
    handover.refresh_from_db()
    assert handover.status == "done"
    assert handover.completed_at
    assert not Holding.objects.filter(holder=ao.a_cm1).exists()
    assert Holding.objects.get(item=leaflets, holder=ao.a_gl).quantity == 20
    for unit in gear:
        unit.refresh_from_db()
        assert unit.custodian == ao.a_gl
        assert unit.movements.order_by("-id").first().kind == "handover"
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm1, status="left", on=TODAY)
    assert selectors.ledger_discrepancies() == []


def test_missing_items_become_incidents_against_the_person(ao):
    gear, leaflets = _equip(ao)
    handover = _leaving(ao)
    lines = {line.item_id: line for line in handover.lines.all()}
    services.count_line(actor=ao.keeper, line=lines[gear[0].pk], disposition="store", counted=1)
    services.count_line(actor=ao.keeper, line=lines[gear[1].pk], disposition="store", counted=0)
    services.count_line(
        actor=ao.keeper, line=lines[leaflets.pk], disposition="receiver", counted=15
    )
    services.receive_line(actor=ao.a_gl, line=lines[leaflets.pk])
    handover.refresh_from_db()
    assert handover.status == "done"
    incidents = {i.item_id: i for i in Incident.objects.all()}
    assert incidents[gear[1].pk].quantity == 1
    assert str(incidents[gear[1].pk].assessed_amount) == "6000.00"
    assert incidents[leaflets.pk].quantity == 5
    assert str(incidents[leaflets.pk].assessed_amount) == "12.50"
    for incident in incidents.values():
        assert (incident.responsible, incident.source, incident.status) == (
            ao.a_cm1,
            "handover",
            "draft",
        )
    gear[1].refresh_from_db()
    assert gear[1].status == "lost"
    assert HandoverLine.objects.get(item=gear[1]).incident == incidents[gear[1].pk]
    assert Holding.objects.get(item=leaflets, holder=ao.a_gl).quantity == 15
    gear[0].refresh_from_db()
    assert (gear[0].custodian, gear[0].status) == (None, "in_store")
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm1, status="left", on=TODAY)
    assert selectors.ledger_discrepancies() == []


def test_a_move_of_outlet_opens_a_handover_and_he_may_keep_his_laptop(ao):
    gear, leaflets = _equip(ao)
    staff_services.change_posting(
        actor=ao.a_tl, user=ao.a_cm1, effective_on=TODAY, reason="调往网点二", outlet=ao.o2
    )
    handover = Handover.objects.get(person=ao.a_cm1, status="open")
    assert (handover.reason, handover.from_outlet, handover.to_outlet) == ("move", ao.o1, ao.o2)
    lines = {line.item_id: line for line in handover.lines.all()}
    services.count_line(actor=ao.keeper, line=lines[gear[0].pk], disposition="keep", counted=1)
    services.count_line(actor=ao.keeper, line=lines[gear[1].pk], disposition="store", counted=1)
    services.count_line(actor=ao.keeper, line=lines[leaflets.pk], disposition="store", counted=20)
    gear[0].refresh_from_db()
    assert (gear[0].custodian, gear[0].outlet) == (ao.a_cm1, ao.o2)
    handover.refresh_from_db()
    assert handover.status == "done"
    assert not Incident.objects.exists()


def test_keep_is_only_for_moves(ao):
    gear, _ = _equip(ao)
    handover = _leaving(ao)
    line = handover.lines.get(item=gear[0])
    with pytest.raises(ValidationError, match="只有在本团队内调动网点时"):
        services.count_line(actor=ao.keeper, line=line, disposition="keep", counted=1)
    with pytest.raises(ValidationError, match="清点数量应在 0 到 1 之间"):
        services.count_line(actor=ao.keeper, line=line, disposition="store", counted=2)
    with pytest.raises(ValidationError, match="只有本团队的实物管理员"):
        services.count_line(actor=ao.a_cm2, line=line, disposition="store", counted=1)


def test_an_open_handover_freezes_his_items_and_what_he_may_receive(ao):
    gear, _ = _equip(ao)
    spare = laptops(ao)[0]
    handover = _leaving(ao)
    with pytest.raises(ValidationError, match=f"交接单 {handover.number}"):
        services.record_movement(
            actor=ao.keeper,
            item=gear[0],
            kind="return",
            quantity=1,
            source=Place(ao.o1, ao.a_cm1),
            target=Place(ao.o1),
        )
    with pytest.raises(ValidationError, match="正在办理实物交接"):
        issue(ao, spare, ao.a_cm1)


def test_back_to_active_cancels_the_leaving_handover(ao):
    _equip(ao)
    handover = _leaving(ao)
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm1, status="active", on=TODAY)
    handover.refresh_from_db()
    assert handover.status == "cancelled"
    assert set(handover.lines.values_list("state", flat=True)) == {"cancelled"}
    assert Holding.objects.filter(holder=ao.a_cm1).count() == 3


def test_receiver_is_a_working_member_of_the_team(ao):
    _equip(ao)
    handover = _leaving(ao)
    with pytest.raises(ValidationError, match="不是本团队在岗人员"):
        services.set_receiver(actor=ao.keeper, handover=handover, receiver=ao.b_cm1)
    with pytest.raises(ValidationError, match="不能是交出人本人"):
        services.set_receiver(actor=ao.keeper, handover=handover, receiver=ao.a_cm1)
    services.set_receiver(actor=ao.keeper, handover=handover, receiver=ao.a_cm2)
    services.count_all(actor=ao.keeper, handover=handover, disposition="receiver")
    with pytest.raises(ValidationError, match="等待接收人确认"):
        services.set_receiver(actor=ao.keeper, handover=handover, receiver=None)


def test_nothing_held_means_no_handover_and_free_departure(ao):
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm2, status="leaving", on=TODAY)
    assert not Handover.objects.exists()
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm2, status="left", on=TODAY)


def test_a_keeper_may_open_a_handover_by_hand(ao):
    _equip(ao)
    with pytest.raises(ValidationError, match="没有保管您所管团队的实物"):
        services.start_handover(actor=ao.b_tl, person=ao.a_cm1)
    (handover,) = services.start_handover(actor=ao.keeper, person=ao.a_cm1, note="分工调整")
    assert (handover.reason, handover.lines.count()) == ("other", 3)


def test_the_printed_handover_sheet_has_lines_and_signature_blocks(client, ao, tmp_path):
    gear, _ = _equip(ao)
    handover = _leaving(ao)
    client.force_login(ao.keeper)
    response = client.get(f"/assets/handovers/{handover.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "handover.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "实物交接单",
        handover.number,
        "甲经理一",
        gear[0].asset_no,
        "交出人签字",
        "接收人签字",
        "实物管理员签字",
        "团队负责人签字",
    ):
        assert expected in text, expected


def test_an_outlet_custodian_who_moves_or_leaves_no_longer_keeps_it(ao):
    from assets.models import OutletCustodian

    services.set_outlet_custodian(actor=ao.keeper, team=ao.team_a, outlet=ao.o1, person=ao.a_cm1)
    services.set_outlet_custodian(actor=ao.keeper, team=ao.team_a, outlet=ao.o2, person=ao.a_cm2)
    staff_services.change_posting(
        actor=ao.a_tl, user=ao.a_cm1, effective_on=TODAY, reason="调往网点二", outlet=ao.o2
    )
    assert OutletCustodian.objects.get(person=ao.a_cm1).valid_to == TODAY
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm2, status="leaving", on=TODAY)
    staff_services.change_status(actor=ao.a_tl, user=ao.a_cm2, status="left", on=TODAY)
    assert OutletCustodian.objects.get(person=ao.a_cm2).valid_to == TODAY
    assert selectors.current_custodian(ao.team_a, ao.o2) is None


def test_a_leaving_keeper_does_not_count_his_own_handover(ao):
    (laptop,) = laptops(ao)
    issue(ao, laptop, ao.keeper)
    handover = _leaving(ao, ao.keeper)
    with pytest.raises(ValidationError, match="交出人不能清点自己的交接"):
        services.count_all(actor=ao.keeper, handover=handover, disposition="store")
    services.count_all(actor=ao.a_tl, handover=handover, disposition="store")
    handover.refresh_from_db()
    assert handover.status == "done"


def test_a_movement_is_not_dated_before_the_items_receipt(ao):
    (laptop,) = laptops(ao)
    issue_on = dt.date(2020, 1, 1)
    with pytest.raises(ValidationError, match="不能早于该物品的入库日期"):
        services.record_movement(
            actor=ao.keeper,
            item=laptop,
            kind="issue",
            quantity=1,
            source=Place(ao.o1),
            target=Place(ao.o1, ao.a_cm1),
            on=issue_on,
        )
