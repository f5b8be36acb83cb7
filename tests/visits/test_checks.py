"""Clients overdue for a visit by their tier (R-7.5) and the cross-check of
in-person visits with the day's outing slip."""

import pytest

from clients.models import Client
from clients.services import assign_client
from tests.visits.helpers import D, at, slip, visit
from visits.selectors import crosscheck, overdue_clients, status_of

pytestmark = pytest.mark.django_db


def overdue(today, clients=None):
    qs = clients if clients is not None else Client.objects.all()
    return [(c.name, status_of(c, today).overdue_days) for c in overdue_clients(qs, today)]


#
def test_overdue_by_tier(vo):
    today = D(2026, 11, 20)
    # core every 30 days, important 60, general 90; owned since 2025-01-01.
    visit(vo.a_cm1, vo.core1, D(2026, 10, 21))  # 30 days ago: due today, not late
    visit(vo.a_cm1, vo.imp1, D(2026, 9, 20))  # 61 days ago: one day late
    visit(vo.a_cm1, vo.gen1, D(2026, 8, 23))  # 89 days ago: fine
    visit(vo.a_cm2, vo.core2, D(2026, 10, 20))  # 31 days: one day late
    visit(vo.a_cm1, vo.core_b, D(2026, 11, 1))  # b_cm1's client visited by someone else: fine
    rows = overdue(today, Client.objects.filter(branch=vo.b1))
    assert rows == [("恒通贸易有限公司", 1), ("王建国", 1)]  # core first, then important
    # Never visited: counted from the day its owner took it over.
    assert overdue(today, Client.objects.filter(pk=vo.core_c.pk)) == [
        ("金桥投资管理有限公司", (today - D(2025, 1, 31)).days)
    ]
    # Untiered clients (the org fixture's) are never listed.
    assert not overdue_clients(Client.objects.filter(tier__isnull=True), today).exists()


def test_a_reassigned_never_visited_client_counts_from_the_new_owner(vo):
    with at(2026, 11, 1):
        assign_client(actor=vo.a_tl, client=vo.core_c, manager=vo.c_tl, effective_on=D(2026, 11, 1))
    assert overdue(D(2026, 11, 30), Client.objects.filter(pk=vo.core_c.pk)) == []
    assert overdue(D(2026, 12, 2), Client.objects.filter(pk=vo.core_c.pk)) == [
        ("金桥投资管理有限公司", 1)
    ]


def test_visit_without_slip_and_slip_without_visit_are_flagged_to_the_leader(vo):
    slip(vo.a_cm1, D(2026, 11, 10))
    visit(vo.a_cm1, vo.core1, D(2026, 11, 10))  # matched
    visit(vo.a_cm1, vo.imp1, D(2026, 11, 11))  # in person, no slip
    visit(vo.a_cm1, vo.gen1, D(2026, 11, 12), mode="phone")  # by phone: no slip needed
    slip(vo.a_cm2, D(2026, 11, 13))  # a slip, and no visit logged
    slip(vo.a_gl, D(2026, 11, 16))  # went along with a_cm1: explained
    visit(vo.a_cm1, vo.core1, D(2026, 11, 16), companions=[vo.a_gl])
    slip(vo.a_cm1, D(2026, 11, 16))
    slip(vo.b_cm1, D(2026, 11, 13))  # team B: not team A's leader's business
    with at(2026, 11, 20):
        flags = crosscheck(vo.a_tl, D(2026, 11, 1), D(2026, 11, 20))
    assert [(f.kind, f.person.employee_no, f.day) for f in flags] == [
        ("visit_without_slip", "a_cm1", D(2026, 11, 11)),
        ("slip_without_visit", "a_cm2", D(2026, 11, 13)),
    ]
    # The branch manager sees both teams; a client manager only himself.
    with at(2026, 11, 20):
        assert {
            f.person.employee_no for f in crosscheck(vo.bm1, D(2026, 11, 1), D(2026, 11, 20))
        } == {
            "a_cm1",
            "a_cm2",
            "b_cm1",
        }
        assert [
            f.person.employee_no for f in crosscheck(vo.a_cm2, D(2026, 11, 1), D(2026, 11, 20))
        ] == ["a_cm2"]
    # A slip filed later for the day clears the flag (computed, not stored).
    with at(2026, 11, 20):
        assert len(crosscheck(vo.a_cm1, D(2026, 11, 11), D(2026, 11, 11))) == 1
