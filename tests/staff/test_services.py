"""People, postings, roles and status: every change dated and attributed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from staff import services
from staff.access import scope_for
from staff.models import Posting, Role, RoleAssignment, User
from tests.staff.factories import person, role

pytestmark = pytest.mark.django_db


def test_a_person_created_with_a_temporary_password_must_change_it(org):
    user = person(team=org.team_a, temporary_password="Temp#2026pw")
    assert user.must_change_password
    assert user.check_password("Temp#2026pw")
    posting = Posting.objects.get(user=user)
    assert posting.team == org.team_a
    assert posting.valid_to is None


def test_moving_a_manager_to_another_outlet_keeps_the_history(org):
    """R-1.7: the move is dated; the old posting ends where the new begins."""
    services.change_posting(
        actor=org.a_tl,
        user=org.a_cm1,
        effective_on=dt.date(2025, 6, 1),
        reason="调往网点二",
        outlet=org.o2,
    )
    postings = list(Posting.objects.filter(user=org.a_cm1).order_by("valid_from"))
    assert [(p.outlet, p.valid_from, p.valid_to) for p in postings] == [
        (org.o1, dt.date(2024, 1, 2), dt.date(2025, 6, 1)),
        (org.o2, dt.date(2025, 6, 1), None),
    ]
    assert postings[1].created_by == org.a_tl
    org.a_cm1.refresh_from_db()
    assert org.a_cm1.outlet == org.o2
    latest = org.a_cm1.history.first()
    assert latest.history_user == org.a_tl
    assert latest.history_change_reason == "调往网点二"


def test_changing_team_without_a_group_leaves_him_ungrouped(org):
    services.change_posting(
        actor=org.bm1,
        user=org.a_cm1,
        effective_on=dt.date(2025, 1, 1),
        reason="调团队",
        team=org.team_b,
    )
    org.a_cm1.refresh_from_db()
    assert org.a_cm1.team == org.team_b
    assert org.a_cm1.group is None


def test_a_group_of_another_team_is_refused_in_chinese(org):
    with pytest.raises(ValidationError) as exc:
        services.change_posting(
            actor=org.bm1,
            user=org.a_cm1,
            effective_on=dt.date(2025, 1, 1),
            reason="误操作",
            group=org.g_b1,
        )
    assert exc.value.message_dict["group"] == ["小组必须属于所选团队。"]
    assert Posting.objects.filter(user=org.a_cm1).count() == 1


def test_a_posting_cannot_start_before_the_current_one(org):
    with pytest.raises(ValidationError) as exc:
        services.change_posting(
            actor=org.bm1,
            user=org.a_cm1,
            effective_on=dt.date(2023, 1, 1),
            reason="补录",
            outlet=org.o2,
        )
    assert "生效日期不能早于" in exc.value.message_dict["effective_on"][0]


def test_a_role_needs_its_unit(org):
    with pytest.raises(ValidationError) as exc:
        services.assign_role(
            actor=None, user=org.a_cm1, role=Role.TEAM_LEADER, valid_from=dt.date(2025, 1, 1)
        )
    assert exc.value.message_dict["team"] == ["“团队负责人”须指定团队。"]


def test_a_role_counts_only_while_in_force(org):
    assignment = role(org.a_cm2, Role.TEAM_LEADER, team=org.team_b, since=dt.date(2024, 1, 1))
    assert org.b_cm2 in User.objects.visible_to(org.a_cm2)
    services.end_role(actor=org.bm1, assignment=assignment, effective_on=dt.date(2025, 1, 1))
    fresh = User.objects.get(pk=org.a_cm2.pk)
    assert org.b_cm2 not in User.objects.visible_to(fresh)
    assignment.refresh_from_db()
    assert assignment.valid_to == dt.date(2025, 1, 1)
    assert assignment.history.first().history_user == org.bm1


def test_a_future_role_gives_no_scope_yet(org):
    role(org.a_cm2, Role.BRANCH_MANAGER, branch=org.b2, since=dt.date(2099, 1, 1))
    fresh = User.objects.get(pk=org.a_cm2.pk)
    assert not scope_for(fresh).has(Role.BRANCH_MANAGER)


def test_status_moves_follow_the_transition_table(org):
    with pytest.raises(ValidationError) as exc:
        services.change_status(
            actor=org.bm1, user=org.a_cm1, status=User.Status.LEFT, on=dt.date(2025, 1, 1)
        )
    assert "不能从“在岗”改为“已离职”" in exc.value.messages[0]
    services.change_status(
        actor=org.bm1, user=org.a_gl, status=User.Status.LEAVING, on=dt.date(2025, 1, 1)
    )
    left = services.change_status(
        actor=org.bm1, user=org.a_gl, status=User.Status.LEFT, on=dt.date(2025, 1, 31)
    )
    assert left.left_on == dt.date(2025, 1, 31)
    assert not left.is_active
    # His group-leader role and his posting end when he leaves.
    assert not RoleAssignment.objects.filter(user=left, valid_to__isnull=True).exists()
    assert not Posting.objects.filter(user=left, valid_to__isnull=True).exists()


def test_a_status_guard_from_a_chapter_app_can_refuse(org):
    def holds_assets(user, status):
        if status == User.Status.LEFT:
            yield f"{user.name} 仍保管 2 件实物，须先完成交接。"

    services.register_status_guard(holds_assets)
    try:
        services.change_status(
            actor=org.bm1, user=org.a_cm1, status=User.Status.LEAVING, on=dt.date(2025, 1, 1)
        )
        with pytest.raises(ValidationError) as exc:
            services.change_status(
                actor=org.bm1, user=org.a_cm1, status=User.Status.LEFT, on=dt.date(2025, 1, 2)
            )
        assert exc.value.messages == ["甲经理一 仍保管 2 件实物，须先完成交接。"]
        org.a_cm1.refresh_from_db()
        assert org.a_cm1.status == User.Status.LEAVING
    finally:
        services._status_guards.remove(holds_assets)


def test_chapter_apps_hear_of_moves_and_status_changes(org):
    heard = []

    def on_move(*, actor, user, old, new):
        heard.append(("move", user.employee_no, old.outlet.name, new.outlet.name))

    def on_status(*, actor, user, old_status, new_status, on):
        heard.append(("status", user.employee_no, old_status, new_status))

    services.register_posting_listener(on_move)
    services.register_status_listener(on_status)
    try:
        services.change_posting(
            actor=org.a_tl,
            user=org.a_cm1,
            effective_on=dt.date(2025, 6, 1),
            reason="调网点",
            outlet=org.o2,
        )
        services.change_status(
            actor=org.a_tl, user=org.a_cm1, status=User.Status.LEAVING, on=dt.date(2025, 7, 1)
        )
    finally:
        services._posting_listeners.remove(on_move)
        services._status_listeners.remove(on_status)
    assert heard == [
        ("move", "a_cm1", "网点一", "网点二"),
        ("status", "a_cm1", "active", "leaving"),
    ]
