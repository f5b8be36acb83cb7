"""客户移交 (R-7.5): a leaving or moving manager's clients go in bulk to one
or several colleagues, with history; open follow-ups and plans move along."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import Notice
from clients.models import Client, ClientAssignment
from clients.selectors import owner_on
from staff import services as staff_services
from staff.models import User
from tests.staff.factories import person
from tests.visits.helpers import D, at, close, raise_followup, resolve, visit
from visits.models import FollowUp, VisitPlan
from visits.selectors import handover_candidates, recipients_for, transferable_clients
from visits.services import transfers as services
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db


NOV_20 = D(2026, 11, 20)


def hand_over(actor, manager, moves, when=NOV_20, **kwargs):
    with at(when.year, when.month, when.day):
        return services.reassign_clients(
            actor=actor,
            from_manager=manager,
            moves=moves,
            effective_on=kwargs.pop("effective_on", when),
            reason=kwargs.pop("reason", "离职交接"),
        )


def test_a_leaving_managers_clients_go_to_several_colleagues_with_history(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    open_one = raise_followup(v, D(2026, 11, 30))
    done = close(resolve(raise_followup(v, D(2026, 11, 30)), D(2026, 11, 5)), D(2026, 11, 6))
    with at(2026, 11, 10):
        plan = visit_services.plan_visit(
            actor=vo.a_cm1, client=vo.imp1, planned_on=D(2026, 11, 25), purpose="回访"
        )
        staff_services.change_status(
            actor=vo.a_tl, user=vo.a_cm1, status=User.Status.LEAVING, on=D(2026, 11, 10)
        )
    # The leader is told, and sees him among those to hand over.
    assert Notice.objects.filter(user=vo.a_tl, title__contains="4 户客户待移交").exists()
    (candidate,) = [c for c in handover_candidates(vo.a_tl) if c.manager == vo.a_cm1]
    assert (candidate.clients, candidate.reason) == (4, "离职中")
    batch = hand_over(
        vo.a_tl,
        vo.a_cm1,
        {vo.core1.pk: vo.a_cm2, vo.imp1.pk: vo.a_gl, vo.gen1.pk: vo.a_cm2},
    )
    assert (batch.client_count, batch.followup_count) == (3, 1)
    for client, new in ((vo.core1, vo.a_cm2), (vo.imp1, vo.a_gl), (vo.gen1, vo.a_cm2)):
        client.refresh_from_db()
        assert client.manager == new
        assert owner_on(client, D(2026, 11, 19)) == vo.a_cm1
        assert owner_on(client, D(2026, 11, 20)) == new
        assert ClientAssignment.objects.filter(client=client).count() == 2
    # The open follow-up moved with its client; the closed one stayed his.
    open_one.refresh_from_db()
    assert (open_one.owner, open_one.team) == (vo.a_cm2, vo.team_a)
    assert "随客户移交：甲经理一 → 甲经理二" in open_one.steps.last().note
    done.refresh_from_db()
    assert done.owner == vo.a_cm1
    plan.refresh_from_db()
    assert plan.manager == vo.a_gl
    assert Notice.objects.filter(user=vo.a_cm2, title__contains="移交的 2 户客户").exists()
    # His remaining client (from the org fixture) still waits.
    (candidate,) = [c for c in handover_candidates(vo.a_tl) if c.manager == vo.a_cm1]
    assert candidate.clients == 1


def test_even_split_deals_the_tiers_out_in_turn(vo):
    clients = list(transferable_clients(vo.a_tl, vo.a_cm1))
    split = services.even_split(clients, [vo.a_cm2, vo.a_gl])
    assert [split[c.pk] for c in sorted(clients, key=lambda c: c.tier.rank if c.tier else 99)] == [
        vo.a_cm2,
        vo.a_gl,
        vo.a_cm2,
        vo.a_gl,
    ]


def test_who_may_hand_over_what_to_whom(vo):
    # A team leader: his team's clients, to his team's working people.
    assert set(transferable_clients(vo.a_tl, vo.b_cm1)) == set()
    assert vo.b_cm2 not in set(recipients_for(vo.a_tl, vo.a_cm1))
    with pytest.raises(ValidationError, match="不在您可移交的范围"):
        hand_over(vo.a_tl, vo.b_cm1, {vo.core_b.pk: vo.a_cm2})
    with pytest.raises(ValidationError, match="不能接收"):
        hand_over(vo.a_tl, vo.a_cm1, {vo.core1.pk: vo.b_cm2})
    with pytest.raises(ValidationError, match="团队负责人或营业部领导"):
        hand_over(vo.a_cm2, vo.a_cm1, {vo.core1.pk: vo.a_gl})
    with pytest.raises(ValidationError, match="不在您可移交的范围"):
        hand_over(vo.c_tl, vo.a_cm1, {vo.core1.pk: vo.c_cm})
    # The branch manager: across the branch's teams.
    batch = hand_over(vo.bm1, vo.b_cm1, {vo.core_b.pk: vo.a_cm2})
    assert batch.client_count == 1
    # Nothing is half done: one bad line refuses the whole batch.
    with pytest.raises(ValidationError):
        hand_over(vo.a_tl, vo.a_cm1, {vo.core1.pk: vo.a_cm2, vo.core_c.pk: vo.a_cm2})
    assert Client.objects.get(pk=vo.core1.pk).manager == vo.a_cm1


def test_a_manager_moved_to_another_team_leaves_his_clients_to_hand_over(vo):
    newbie = person(name="新人", group=vo.a2, outlet=vo.o1, employee_no="new1")
    with at(2026, 11, 10):
        staff_services.change_posting(
            actor=vo.bm1,
            user=vo.a_cm1,
            effective_on=D(2026, 11, 10),
            reason="调往 B 团队",
            team=vo.team_b,
            group=vo.g_b1,
        )
    assert Notice.objects.filter(user=vo.a_tl, title__contains="已调离A 团队").exists()
    (candidate,) = [c for c in handover_candidates(vo.a_tl) if c.manager == vo.a_cm1]
    assert (candidate.clients, candidate.reason) == (4, "已调离原团队")
    batch = hand_over(vo.a_tl, vo.a_cm1, {vo.core1.pk: newbie})
    assert batch.lines.get().to_manager == newbie


def test_effective_date_and_reason_are_required(vo):
    with pytest.raises(ValidationError, match="原因"):
        hand_over(vo.a_tl, vo.a_cm1, {vo.core1.pk: vo.a_cm2}, reason="")
    with pytest.raises(ValidationError, match="一个月内"):
        hand_over(vo.a_tl, vo.a_cm1, {vo.core1.pk: vo.a_cm2}, effective_on=D(2027, 3, 1))
    with pytest.raises(ValidationError, match="至少"):
        hand_over(vo.a_tl, vo.a_cm1, {})
    assert not FollowUp.objects.exists()
    assert not VisitPlan.objects.exists()
