"""R-4.4: damage, loss or theft charged to the person responsible; the
decision is approved by the team leader and reaches payroll through
assets.selectors."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from approvals import services as approvals
from approvals.models import Task
from assets import selectors, services
from assets.models import Incident
from tests.assets.conftest import brochures, issue, laptops

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC), tick=False):
        yield


def _lost_laptop(ao, who=None, *, actor=None):
    (laptop,) = laptops(ao)
    issue(ao, laptop, who or ao.a_cm1)
    return services.report_incident(
        actor=actor or ao.keeper,
        item=laptop,
        kind="theft",
        responsible=who or ao.a_cm1,
        occurred_on=dt.date(2026, 11, 20),
        circumstances="拜访客户途中电脑包在地铁被盗，已报警。",
    )


def _decide(
    ao,
    incident,
    *,
    decision="charge",
    amount="3000.00",
    reason="未妥善保管，按原值五成赔偿",
    **extra,
):
    return services.update_incident(
        actor=ao.keeper,
        incident=incident,
        decision=decision,
        charged_amount=Decimal(amount),
        decision_reason=reason,
        **extra,
    )


def _open_task(request):
    return request.tasks.get(status=Task.Status.OPEN)


def test_a_theft_takes_the_item_off_the_books_at_once(ao):
    incident = _lost_laptop(ao)
    laptop = incident.item
    laptop.refresh_from_db()
    assert (laptop.status, laptop.custodian, laptop.quantity) == ("lost", None, 0)
    loss = laptop.movements.get(kind="loss")
    assert (loss.from_holder, loss.incident, loss.occurred_on) == (
        ao.a_cm1,
        incident,
        dt.date(2026, 11, 20),
    )
    assert incident.assessed_amount == Decimal("6000.00")
    assert incident.status == "draft"
    assert selectors.ledger_discrepancies() == []


def test_a_charge_approved_by_the_team_leader_reaches_payroll(ao):
    incident = _decide(ao, _lost_laptop(ao))
    request = services.submit_incident(actor=ao.keeper, incident=incident)
    incident.refresh_from_db()
    assert incident.status == "pending"
    task = _open_task(request)
    assert task.user == ao.a_tl
    assert selectors.charges_for(ao.a_cm1, 2026, 11) == []  # not before approval
    approvals.approve_task(actor=ao.a_tl, task=task, opinion="同意")
    incident.refresh_from_db()
    assert (incident.status, incident.deduct_month) == ("approved", dt.date(2026, 11, 1))
    (charge,) = selectors.charges_for(ao.a_cm1, 2026, 11)
    assert charge.amount == Decimal("3000.00")
    assert isinstance(charge.amount, Decimal)
    assert charge.reference == incident.number
    assert charge.url == f"/assets/incidents/{incident.pk}/"
    assert "笔记本电脑" in charge.item
    assert charge.kind == "被盗"
    assert selectors.charges_total(ao.a_cm1, 2026, 11) == Decimal("3000.00")
    assert selectors.charges_by_person(2026, 11) == {ao.a_cm1.pk: [charge]}
    assert selectors.charges_by_person(2026, 11, branch=ao.b2) == {}
    assert selectors.charges_for(ao.a_cm1, 2026, 12) == []
    assert selectors.charges_for(ao.a_cm2, 2026, 11) == []
    from approvals.models import Notice

    assert Notice.objects.filter(user=ao.a_cm1, title__contains="已审批通过").exists()


def test_a_waived_loss_charges_nothing(ao):
    incident = _decide(
        ao, _lost_laptop(ao), decision="waive", amount="500.00", reason="已报警，属不可抗力"
    )
    assert incident.charged_amount == Decimal("0.00")
    request = services.submit_incident(actor=ao.keeper, incident=incident)
    approvals.approve_task(actor=ao.a_tl, task=_open_task(request))
    assert selectors.charges_for(ao.a_cm1, 2026, 11) == []


def test_a_later_deduction_month_is_kept_an_earlier_one_moves_to_approval(ao):
    later = _decide(ao, _lost_laptop(ao), deduct_month=dt.date(2027, 1, 15))
    assert later.deduct_month == dt.date(2027, 1, 1)
    earlier = _decide(ao, _lost_laptop(ao), deduct_month=dt.date(2026, 9, 1))
    for incident in (later, earlier):
        request = services.submit_incident(actor=ao.keeper, incident=incident)
        approvals.approve_task(actor=ao.a_tl, task=_open_task(request))
    assert [c.reference for c in selectors.charges_for(ao.a_cm1, 2027, 1)] == [later.number]
    assert [c.reference for c in selectors.charges_for(ao.a_cm1, 2026, 11)] == [earlier.number]


def test_the_decision_must_be_complete_and_within_the_assessment(ao):
    incident = _lost_laptop(ao)
    with pytest.raises(ValidationError, match="请选择处理决定"):
        services.submit_incident(actor=ao.keeper, incident=incident)
    with pytest.raises(ValidationError) as too_much:
        _decide(ao, incident, amount="7000.00")
    assert "赔偿金额" in str(too_much.value)
    _decide(ao, incident, amount="0.00")
    with pytest.raises(ValidationError, match="赔偿金额须大于零"):
        services.submit_incident(actor=ao.keeper, incident=incident)
    _decide(ao, incident, reason="  ")
    with pytest.raises(ValidationError, match="请填写决定理由"):
        services.submit_incident(actor=ao.keeper, incident=incident)


def test_it_is_read_only_while_pending_and_editable_after_rejection(ao):
    incident = _decide(ao, _lost_laptop(ao))
    request = services.submit_incident(actor=ao.keeper, incident=incident)
    with pytest.raises(ValidationError, match="审批中，不能修改"):
        _decide(ao, incident, amount="1000.00")
    approvals.reject_task(actor=ao.a_tl, task=_open_task(request), opinion="金额过高")
    incident.refresh_from_db()
    assert incident.status == "rejected"
    _decide(ao, incident, amount="1000.00")
    request = services.submit_incident(actor=ao.keeper, incident=incident)
    approvals.approve_task(actor=ao.a_tl, task=_open_task(request))
    assert selectors.charges_total(ao.a_cm1, 2026, 11) == Decimal("1000.00")


def test_the_leaders_own_loss_is_decided_by_the_branch_manager(ao):
    incident = _decide(ao, _lost_laptop(ao, ao.a_tl))
    request = services.submit_incident(actor=ao.keeper, incident=incident)
    assert request.flow.code == "asset_incident_leader"
    assert _open_task(request).user == ao.bm1


def test_the_leader_submitting_himself_goes_one_level_up(ao):
    incident = _decide(ao, _lost_laptop(ao, actor=ao.a_tl))
    request = services.submit_incident(actor=ao.a_tl, incident=incident)
    assert _open_task(request).user == ao.bm1


def test_damage_keeps_the_item_on_the_books(ao):
    (laptop,) = laptops(ao)
    issue(ao, laptop, ao.a_cm2)
    incident = services.report_incident(
        actor=ao.keeper,
        item=laptop,
        kind="damage",
        responsible=ao.a_cm2,
        occurred_on=dt.date(2026, 11, 26),
        circumstances="屏幕摔裂",
        assessed_amount=Decimal("800.00"),
    )
    laptop.refresh_from_db()
    assert (laptop.status, laptop.custodian) == ("in_use", ao.a_cm2)
    assert incident.assessed_amount == Decimal("800.00")
    assert not laptop.movements.filter(kind="loss").exists()


def test_a_stock_loss_is_taken_from_the_person_or_the_store(ao):
    leaflets = brochures(ao, 100)
    issue(ao, leaflets, ao.a_cm1, quantity=10)
    services.report_incident(
        actor=ao.keeper,
        item=leaflets,
        kind="loss",
        responsible=ao.a_cm1,
        quantity=8,
        occurred_on=dt.date(2026, 11, 26),
        circumstances="雨天受潮损毁遗失",
    )
    assert leaflets.holdings.get(holder=ao.a_cm1).quantity == 2
    services.report_incident(
        actor=ao.keeper,
        item=leaflets,
        kind="loss",
        responsible=ao.a_cm1,
        quantity=5,
        occurred_on=dt.date(2026, 11, 26),
        circumstances="库房清点短少",
    )
    assert leaflets.holdings.get(holder__isnull=True).quantity == 85
    with pytest.raises(ValidationError, match="都没有足够数量"):
        services.report_incident(
            actor=ao.keeper,
            item=leaflets,
            kind="loss",
            responsible=ao.a_cm1,
            quantity=500,
            occurred_on=dt.date(2026, 11, 26),
            circumstances="x",
        )


def test_incidents_are_scoped(ao, client):
    incident = _decide(ao, _lost_laptop(ao))
    expectations = {
        ao.keeper: True,
        ao.a_tl: True,
        ao.a_cm1: True,  # the person responsible
        ao.bm1: True,
        ao.fin1: True,
        ao.a_cm2: False,
        ao.b_tl: False,
        ao.c_tl: False,
        ao.office: False,
    }
    for user, sees in expectations.items():
        client.force_login(user)
        status = client.get(f"/assets/incidents/{incident.pk}/").status_code
        assert status == (200 if sees else 404), user
    assert Incident.objects.visible_to(ao.a_cm2).count() == 0


def test_only_keepers_report_and_edit(ao):
    (laptop,) = laptops(ao)
    issue(ao, laptop, ao.a_cm1)
    with pytest.raises(ValidationError, match="只有本团队的实物管理员或团队负责人可以登记损失事件"):
        services.report_incident(
            actor=ao.a_cm1,
            item=laptop,
            kind="loss",
            responsible=ao.a_cm1,
            occurred_on=dt.date(2026, 11, 26),
            circumstances="x",
        )
    incident = _lost_laptop(ao)
    with pytest.raises(ValidationError, match="只有本团队的实物管理员或团队负责人可以修改"):
        services.update_incident(actor=ao.b_tl, incident=incident, decision="waive")
