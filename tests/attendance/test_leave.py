"""Leave (R-2.8): working days only (R-2.9), half days, asked in advance
(sick leave afterwards with a note), overlaps refused, balances, approval by
the team leader through the engine, and the approval deputy it sets."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals import services as approvals
from approvals.models import Deputy, Request
from approvals.selectors import request_for
from attendance import selectors
from attendance.models import LeaveKind, LeaveRequest
from attendance.services import leave as services
from portal.uploads import attachments_of
from tests.attendance.helpers import (
    approve,
    approved_leave,
    ask_leave,
    at,
    entry,
    open_task,
    save_day,
)
from tests.staff.factories import person

pytestmark = pytest.mark.django_db

D = dt.date


def _png(name="病假条.png"):
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")


def _balance(who, kind, year=2026):
    return next(b for b in selectors.leave_balances(who, year) if b.kind == kind)


def test_leave_is_counted_in_working_days_of_the_official_calendar(att):
    # 2026-09-30 … 10-12: National Day 10-01…10-07 off, 10-10 (Sat) worked.
    leave = ask_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 9, 30), D(2026, 10, 12))
    assert leave.days == Decimal(5)  # 9-30, 10-08, 10-09, 10-10, 10-12
    assert not leave.provisional


def test_half_days_at_either_end(att):
    morning = ask_leave(
        att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 9), end_half="am"
    )
    assert morning.days == Decimal("0.5")
    assert morning.period_label == "2026-11-09 上午"
    afternoon = ask_leave(
        att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 9), start_half="pm"
    )
    assert afternoon.days == Decimal("0.5")  # the same day's afternoon: no overlap
    spanning = ask_leave(
        att.a_cm1,
        LeaveKind.PERSONAL,
        D(2026, 11, 10),
        D(2026, 11, 12),
        start_half="pm",
        end_half="am",
    )
    assert spanning.days == Decimal(2)
    assert spanning.period_label == "2026-11-10下午 至 2026-11-12上午"
    with pytest.raises(ValidationError, match="下午开始、到上午结束"):
        ask_leave(
            att.a_cm2,
            LeaveKind.PERSONAL,
            D(2026, 11, 9),
            D(2026, 11, 9),
            start_half="pm",
            end_half="am",
        )


def test_a_range_without_working_days_is_refused(att):
    with pytest.raises(ValidationError, match="没有工作日"):
        ask_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 10, 3), D(2026, 10, 4))


def test_leave_must_be_asked_before_it_starts(att):
    with pytest.raises(ValidationError, match="开始之前"):
        ask_leave(
            att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 9), when=D(2026, 11, 9)
        )
    # An afternoon leave may still be asked in the morning.
    with at(2026, 11, 9, 10):
        ok = services.submit_leave(
            actor=att.a_cm1,
            kind=LeaveKind.PERSONAL,
            start_date=D(2026, 11, 9),
            start_half="pm",
            end_date=D(2026, 11, 9),
            reason="下午办事",
        )
    assert not ok.filed_after


def test_only_sick_leave_may_be_filed_afterwards_with_a_sick_note(att):
    with at(2026, 11, 10, 9), pytest.raises(ValidationError) as refused:
        services.submit_leave(
            actor=att.a_cm1,
            kind=LeaveKind.SICK,
            start_date=D(2026, 11, 9),
            end_date=D(2026, 11, 9),
            reason="发烧",
        )
    assert "病假条" in str(refused.value)
    with at(2026, 11, 10, 9):
        leave = services.submit_leave(
            actor=att.a_cm1,
            kind=LeaveKind.SICK,
            start_date=D(2026, 11, 9),
            end_date=D(2026, 11, 9),
            reason="发烧",
            sick_note=_png(),
        )
    assert leave.filed_after
    assert attachments_of(leave, "sick_note").get().kind == "png"
    assert ("说明", "事后补办（已附病假条）") in [tuple(x) for x in request_for(leave).summary]
    with at(2026, 11, 10, 9), pytest.raises(ValidationError, match="内容不是允许的类型"):
        services.submit_leave(
            actor=att.a_cm2,
            kind=LeaveKind.SICK,
            start_date=D(2026, 11, 9),
            end_date=D(2026, 11, 9),
            reason="发烧",
            sick_note=SimpleUploadedFile("假.pdf", b"not a pdf"),
        )
    assert not LeaveRequest.objects.filter(person=att.a_cm2).exists()


def test_overlapping_leave_is_refused_until_the_first_one_ends(att):
    first = ask_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 11))
    with pytest.raises(ValidationError, match="时间重叠"):
        ask_leave(att.a_cm1, LeaveKind.SICK, D(2026, 11, 11), D(2026, 11, 12))
    with pytest.raises(ValidationError, match="时间重叠"):
        ask_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 11), D(2026, 11, 11), start_half="pm")
    # Another person is not concerned; a withdrawn leave frees the days.
    ask_leave(att.a_cm2, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 11))
    with at(2026, 11, 8):
        approvals.withdraw_request(actor=att.a_cm1, request=request_for(first))
    first.refresh_from_db()
    assert first.status == LeaveRequest.Status.WITHDRAWN
    ask_leave(att.a_cm1, LeaveKind.SICK, D(2026, 11, 11), D(2026, 11, 12))


def test_annual_leave_balance_follows_years_of_service(att):
    # Hired 2024-01-02: one complete year on 2026-01-01, so 5 days.
    assert _balance(att.a_cm1, LeaveKind.ANNUAL).entitled == 5
    veteran = person(name="老员工", group=att.a1, outlet=att.o1, hired_on=D(2015, 3, 1))
    assert _balance(veteran, LeaveKind.ANNUAL).entitled == 10
    newcomer = person(name="新员工", group=att.a1, outlet=att.o1, hired_on=D(2025, 6, 1))
    assert _balance(newcomer, LeaveKind.ANNUAL).entitled == 0
    approved_leave(att.a_cm1, LeaveKind.ANNUAL, D(2026, 11, 2), D(2026, 11, 4))
    ask_leave(att.a_cm1, LeaveKind.ANNUAL, D(2026, 11, 9), D(2026, 11, 9))
    balance = _balance(att.a_cm1, LeaveKind.ANNUAL)
    assert (balance.used, balance.pending, balance.remaining) == (3, 1, 1)
    with pytest.raises(ValidationError, match="余额不足：可用 1 天"):
        ask_leave(att.a_cm1, LeaveKind.ANNUAL, D(2026, 11, 16), D(2026, 11, 17))
    with pytest.raises(ValidationError, match="跨年"):
        ask_leave(att.a_cm1, LeaveKind.ANNUAL, D(2026, 12, 31), D(2027, 1, 4))


def test_the_annual_leave_table_is_configurable(att):
    from attendance.models import AnnualLeaveTier

    AnnualLeaveTier.objects.filter(from_years=1).update(days=7)
    assert _balance(att.a_cm1, LeaveKind.ANNUAL).entitled == 7


def test_time_off_in_lieu_comes_from_recorded_overtime(att):
    assert _balance(att.a_cm1, LeaveKind.COMPENSATORY).entitled == 0
    with pytest.raises(ValidationError, match="调休余额不足"):
        ask_leave(att.a_cm1, LeaveKind.COMPENSATORY, D(2026, 11, 16), D(2026, 11, 16))
    save_day(att, D(2026, 11, 2), {att.a_cm1.pk: entry(overtime_hours=Decimal(5))})
    save_day(att, D(2026, 11, 3), {att.a_cm1.pk: entry(overtime_hours=Decimal(3))})
    assert _balance(att.a_cm1, LeaveKind.COMPENSATORY).entitled == 1
    leave = ask_leave(att.a_cm1, LeaveKind.COMPENSATORY, D(2026, 11, 16), D(2026, 11, 16))
    assert leave.days == 1
    assert _balance(att.a_cm1, LeaveKind.COMPENSATORY).remaining == 0


def test_special_leave_has_a_limit_per_request(att):
    with pytest.raises(ValidationError, match="婚假单次最多 3"):
        ask_leave(att.a_cm1, LeaveKind.MARRIAGE, D(2026, 11, 9), D(2026, 11, 12))
    ask_leave(att.a_cm1, LeaveKind.MARRIAGE, D(2026, 11, 9), D(2026, 11, 11))


def test_the_team_leader_approves_and_the_member_gets_his_leader_as_deputy(att):
    leave = ask_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 10))
    assert leave.status == LeaveRequest.Status.PENDING
    task = open_task(leave)
    assert task.user == att.a_tl
    assert task.step_run.step.name == "团队负责人审批"
    with at(2026, 11, 8):
        approve(leave)
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.APPROVED
    deputy = Deputy.objects.get(principal=att.a_cm1)
    assert (deputy.deputy, deputy.source) == (att.a_tl, Deputy.Source.LEAVE)
    assert (deputy.valid_from, deputy.valid_to) == (D(2026, 11, 9), D(2026, 11, 11))
    assert leave.applied_deputy == deputy
    assert "团队负责人" in leave.deputy_note


def test_a_leader_asking_leave_goes_to_the_branch_manager_with_a_deputy_he_chose(att):
    with pytest.raises(ValidationError, match="请指定请假期间的审批代理人"):
        ask_leave(att.a_tl, LeaveKind.ANNUAL, D(2026, 11, 9), D(2026, 11, 9))
    leave = ask_leave(att.a_tl, LeaveKind.ANNUAL, D(2026, 11, 9), D(2026, 11, 9), deputy=att.a_gl)
    task = open_task(leave)
    assert task.user == att.bm1  # escalated: nobody approves his own leave
    assert task.escalated_from == "团队负责人"
    with at(2026, 11, 8):
        approve(leave, actor=att.bm1)
    deputy = Deputy.objects.get(principal=att.a_tl)
    assert deputy.deputy == att.a_gl
    leave.refresh_from_db()
    assert "申请人指定" in leave.deputy_note


def test_a_deputy_he_set_himself_is_left_alone(att):
    with at(2026, 11, 5):
        approvals.set_deputy(
            actor=att.a_cm1,
            principal=att.a_cm1,
            deputy=att.a_gl,
            valid_from=D(2026, 11, 9),
            valid_to=D(2026, 11, 20),
            reason="出差",
        )
    leave = approved_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 9))
    assert Deputy.objects.filter(principal=att.a_cm1).count() == 1
    assert "已有代理人" in leave.deputy_note
    assert leave.applied_deputy is None


def test_rejection_frees_the_balance_and_resubmission_checks_again(att):
    leave = ask_leave(att.a_cm1, LeaveKind.ANNUAL, D(2026, 11, 9), D(2026, 11, 13))
    assert _balance(att.a_cm1, LeaveKind.ANNUAL).remaining == 0
    with at(2026, 11, 6):
        approvals.reject_task(actor=att.a_tl, task=open_task(leave), opinion="月底业务忙")
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.REJECTED
    assert _balance(att.a_cm1, LeaveKind.ANNUAL).remaining == 5
    with at(2026, 11, 7):
        approvals.resubmit_request(actor=att.a_cm1, request=request_for(leave))
    leave.refresh_from_db()
    assert leave.status == LeaveRequest.Status.PENDING
    with at(2026, 11, 8):
        approvals.reject_task(actor=att.a_tl, task=open_task(leave), opinion="仍不行")
    # Once the leave has started it cannot be put forward again.
    with at(2026, 11, 9, 10), pytest.raises(ValidationError, match="开始之前"):
        approvals.resubmit_request(actor=att.a_cm1, request=request_for(leave))
    assert request_for(leave).state == Request.State.REJECTED


def test_leave_in_a_year_without_a_schedule_is_provisional(att):
    leave = ask_leave(att.a_cm1, LeaveKind.PERSONAL, D(2027, 1, 1), D(2027, 1, 4))
    assert leave.provisional
    assert leave.days == 2  # Friday 1 January and Monday 4 January, as plain weekdays
    assert ("日历", "含官方安排尚未公布的年份，按暂定日历计算") in [
        tuple(x) for x in request_for(leave).summary
    ]


def test_the_recorder_is_told_when_his_teams_leave_is_approved(att):
    from approvals.models import Notice

    approved_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 11, 9), D(2026, 11, 9))
    assert Notice.objects.filter(user=att.a_rec, title__startswith="已审批通过：请假").exists()
