"""督办 — whoever visits follows up (R-7.3): the state machine, no close
without the client told, the owner and his leaders, reminders."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from approvals.models import Notice
from tests.visits.helpers import D, at, close, followup_input, move, raise_followup, resolve, visit
from visits.models import FollowUp
from visits.reminders import followup_reminders
from visits.selectors import due_followup_reminders, due_month_reminders

pytestmark = pytest.mark.django_db


def test_a_visit_with_an_unsolved_problem_raises_a_followup_owned_by_the_visitor(vo):
    v = visit(
        vo.a_cm1,
        vo.core1,
        D(2026, 11, 12),
        followup=followup_input(D(2026, 11, 19), department="it", department_note="信息技术部王工"),
    )
    f = FollowUp.objects.get()
    assert (f.owner, f.client, f.visit, f.raised_on) == (vo.a_cm1, vo.core1, v, D(2026, 11, 12))
    assert (f.team, f.branch) == (vo.team_a, vo.b1)
    # Naming the department forwards it at once.
    assert f.status == "forwarded"
    assert [(s.from_status, s.to_status) for s in f.steps.all()] == [
        ("", "open"),
        ("open", "forwarded"),
    ]


#
def test_the_followup_walks_its_states_and_closes_only_once_the_client_was_told(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = raise_followup(v, D(2026, 11, 9))
    assert f.status == "open"
    f = move(f, "forwarded", D(2026, 11, 3), department="operations", department_note="柜台")
    f = move(f, "handling", D(2026, 11, 4), note="柜台已受理")
    with pytest.raises(ValidationError, match="处理结果"):
        move(f, "resolved", D(2026, 11, 5))
    f = move(f, "resolved", D(2026, 11, 5), resolution="已修改预留手机号")
    assert f.resolved_on == D(2026, 11, 5)
    # Not told yet: no way to close.
    with pytest.raises(ValidationError, match="不能改为“已办结”"):
        move(f, "closed", D(2026, 11, 6))
    with pytest.raises(ValidationError, match="告知客户的方式"):
        move(f, "informed", D(2026, 11, 6), informed_on=D(2026, 11, 6))
    with pytest.raises(ValidationError, match="告知客户的日期"):
        move(f, "informed", D(2026, 11, 6), informed_how="phone")
    with pytest.raises(ValidationError, match="解决日期与今天之间"):
        move(f, "informed", D(2026, 11, 6), informed_how="phone", informed_on=D(2026, 11, 4))
    f = move(f, "informed", D(2026, 11, 6), informed_how="phone", informed_on=D(2026, 11, 6))
    f = move(f, "closed", D(2026, 11, 6))
    assert f.status == "closed"
    assert f.closed_at is not None
    assert [s.to_status for s in f.steps.all()] == [
        "open",
        "forwarded",
        "handling",
        "resolved",
        "informed",
        "closed",
    ]
    with pytest.raises(ValidationError):
        move(f, "handling", D(2026, 11, 7))


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("open", "resolved"),
        ("open", "informed"),
        ("open", "closed"),
        ("forwarded", "resolved"),
        ("forwarded", "closed"),
        ("handling", "informed"),
        ("handling", "closed"),
        ("resolved", "closed"),
    ],
)
def test_moves_off_the_road_are_refused(vo, start, target):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = raise_followup(v, D(2026, 11, 9))
    road = {
        "forwarded": ["forwarded"],
        "handling": ["handling"],
        "resolved": ["handling", "resolved"],
    }
    for step in road.get(start, []):
        f = move(
            f, step, D(2026, 11, 3), department="it", resolution="已处理", informed_how="phone"
        )
    with pytest.raises(ValidationError):
        move(
            f,
            target,
            D(2026, 11, 4),
            department="it",
            resolution="x",
            informed_how="phone",
            informed_on=D(2026, 11, 4),
        )


def test_the_database_refuses_a_closed_followup_without_the_client_told(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = raise_followup(v, D(2026, 11, 9))
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.filter(pk=f.pk).update(status="closed", resolved_on=D(2026, 11, 3))


def test_a_disputed_resolution_goes_back_to_handling_with_a_reason(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = resolve(raise_followup(v, D(2026, 11, 9)), D(2026, 11, 3))
    with pytest.raises(ValidationError, match="原因"):
        move(f, "handling", D(2026, 11, 4))
    f = move(f, "handling", D(2026, 11, 4), note="客户称问题仍未解决")
    assert (f.status, f.resolved_on) == ("handling", None)


def test_who_may_move_a_followup(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = raise_followup(v, D(2026, 11, 9))
    for outsider in (vo.a_cm2, vo.b_tl, vo.c_tl, vo.a_gl, vo.fin1, vo.office):
        with pytest.raises(ValidationError):
            move(f, "handling", D(2026, 11, 3), actor=outsider)
    # The team leader and the branch manager may move it; the owner is told.
    f = move(f, "handling", D(2026, 11, 3), actor=vo.a_tl)
    assert Notice.objects.filter(user=vo.a_cm1, title__contains="处理中").exists()
    f = move(f, "resolved", D(2026, 11, 4), actor=vo.bm1, resolution="已办")
    assert f.status == "resolved"


def test_the_due_date_moves_with_a_reason_kept_in_the_log(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = raise_followup(v, D(2026, 11, 9))
    from visits.services.followups import extend_followup

    with at(2026, 11, 8):
        with pytest.raises(ValidationError):
            extend_followup(actor=vo.a_cm1, followup=f, due_on=D(2026, 11, 20), note="")
        f = extend_followup(actor=vo.a_cm1, followup=f, due_on=D(2026, 11, 20), note="需总部审批")
    assert f.due_on == D(2026, 11, 20)
    assert "2026-11-09 → 2026-11-20" in f.steps.last().note


# the visitor is reminded as the due date passes
def send_reminders(day) -> int:
    """What ``manage.py send_reminders`` does with the chapter's source."""
    from approvals.notify import notify

    return sum(
        len(notify(r.users, title=r.title, body=r.body, url=r.url, dedup_key=r.key))
        for r in followup_reminders(day)
    )


def test_reminders_as_the_due_date_comes_and_passes(vo):
    v = visit(vo.a_cm1, vo.core1, D(2026, 11, 2))
    f = raise_followup(v, D(2026, 11, 9))
    assert [r.dedup_key for r in due_followup_reminders(D(2026, 11, 7))] == []
    soon = due_followup_reminders(D(2026, 11, 8))
    assert [(r.user_id, r.title) for r in soon] == [
        (vo.a_cm1.pk, "督办事项明天到期：华信科技有限公司")
    ]
    due = due_followup_reminders(D(2026, 11, 9))
    assert [r.title for r in due] == ["督办事项今天到期：华信科技有限公司"]
    late = due_followup_reminders(D(2026, 11, 16))  # a week late: the leader too
    assert sorted((r.user_id, r.dedup_key) for r in late) == sorted(
        [
            (vo.a_cm1.pk, f"visits-fu-{f.pk}-due-20261109-1"),
            (vo.a_tl.pk, f"visits-fu-{f.pk}-leader-20261109"),
        ]
    )
    # Sending twice the same day sends once.
    assert send_reminders(D(2026, 11, 16)) == 2
    assert send_reminders(D(2026, 11, 16)) == 0
    assert send_reminders(D(2026, 11, 17)) == 0  # same week overdue: nothing new
    assert send_reminders(D(2026, 11, 23)) == 1  # the next week: the owner again
    # Resolved but the client not told within three days: chased.
    f = resolve(f, D(2026, 11, 24))
    assert due_followup_reminders(D(2026, 11, 26)) == []
    assert [r.title for r in due_followup_reminders(D(2026, 11, 27))] == [
        "请将处理结果告知客户：华信科技有限公司"
    ]
    close(f, D(2026, 11, 28))
    assert due_followup_reminders(D(2026, 12, 30)) == []


def test_month_end_reminders_to_submit_the_logs(vo):
    visit(vo.a_cm1, vo.core1, D(2026, 11, 12))
    assert due_month_reminders(D(2026, 11, 20)) == []
    end = due_month_reminders(D(2026, 11, 26))
    assert [(r.user_id, r.dedup_key) for r in end] == [(vo.a_cm1.pk, "visits-month-202611-end")]
    assert [r.dedup_key for r in due_month_reminders(D(2026, 12, 2))] == [
        "visits-month-202611-late"
    ]
    assert due_month_reminders(D(2026, 12, 6)) == []
