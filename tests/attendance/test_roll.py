"""The daily roll (R-2.2 … R-2.4, R-2.9): one screen per team and day,
present by default, lateness against each member's outlet hours, leave and
slips filling themselves in, corrections with a reason, disputes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from approvals.models import Notice
from attendance.models import AttendanceDay, AttendanceDispute, AttendanceRecord, LeaveKind
from attendance.services import outing as outing_services
from attendance.services import roll as services
from tests.attendance.helpers import approved_leave, at, entry, local, save_day
from tests.staff.factories import person

pytestmark = pytest.mark.django_db

D = dt.date
MONDAY = D(2026, 11, 2)


def _record(who, day=MONDAY) -> AttendanceRecord:
    return AttendanceRecord.objects.get(person=who, date=day)


def test_everyone_posted_to_the_team_is_present_by_default(att):
    day = save_day(att, MONDAY)
    records = AttendanceRecord.objects.filter(day=day)
    members = {att.a_tl, att.a_gl, att.a_cm1, att.a_cm2, att.a_rm, att.a_rec}
    assert {r.person for r in records} == members
    assert all(r.status == "present" and r.present_days == 1 for r in records)
    assert {r.team_id for r in records} == {att.team_a.pk}
    assert _record(att.a_cm2).outlet == att.o2
    assert (day.recorded_by, day.revision, day.provisional) == (att.a_rec, 1, False)


def test_lateness_and_early_leave_are_measured_against_each_members_outlet(att):
    # a_cm1 sits in O1 (9:00–17:30), a_cm2 in O2 (8:30–17:00).
    save_day(
        att,
        MONDAY,
        {
            att.a_cm1.pk: entry(arrived_at=dt.time(9, 12), left_at=dt.time(17, 10)),
            att.a_cm2.pk: entry(arrived_at=dt.time(8, 50), left_at=dt.time(17, 0)),
        },
    )
    cm1, cm2 = _record(att.a_cm1), _record(att.a_cm2)
    assert (cm1.late_minutes, cm1.early_minutes) == (12, 20)
    assert (cm2.late_minutes, cm2.early_minutes) == (20, 0)
    assert (cm1.work_start, cm2.work_start) == (dt.time(9, 0), dt.time(8, 30))


def test_a_later_change_of_outlet_hours_does_not_rewrite_the_record(att):
    save_day(att, MONDAY, {att.a_cm2.pk: entry(arrived_at=dt.time(8, 50))})
    att.o2.work_start = dt.time(9, 0)
    att.o2.save()
    assert _record(att.a_cm2).late_minutes == 20
    assert _record(att.a_cm2).work_start == dt.time(8, 30)


def test_absence_overtime_and_leaving_the_post_are_recorded(att):
    save_day(
        att,
        MONDAY,
        {
            att.a_cm1.pk: entry(status="absent", arrived_at=dt.time(9, 30)),
            att.a_cm2.pk: entry(
                overtime_hours=Decimal("2.5"), left_post=True, note="下午离岗一小时"
            ),
        },
    )
    cm1, cm2 = _record(att.a_cm1), _record(att.a_cm2)
    assert (cm1.status, cm1.absent_days, cm1.present_days, cm1.arrived_at) == (
        "absent",
        1,
        0,
        None,
    )
    assert (cm2.overtime_hours, cm2.left_post, cm2.note) == (Decimal("2.5"), True, "下午离岗一小时")


def test_bad_entries_are_refused_and_nothing_is_saved(att):
    for bad in (
        entry(overtime_hours=Decimal(17)),
        entry(overtime_hours=Decimal("1.2")),
        entry(arrived_at=dt.time(10, 0), left_at=dt.time(9, 0)),
        entry(status="leave"),
    ):
        with pytest.raises(ValidationError):
            save_day(att, MONDAY, {att.a_cm1.pk: bad})
    assert not AttendanceDay.objects.exists()
    assert not AttendanceRecord.objects.exists()


def test_a_recorder_records_only_his_own_team(att):
    with pytest.raises(ValidationError, match="考勤员或团队负责人"):
        save_day(att, MONDAY, team=att.team_b)
    with pytest.raises(ValidationError):
        save_day(att, MONDAY, actor=att.a_cm1)
    save_day(att, MONDAY, actor=att.a_tl)  # the leader may record his team
    save_day(att, MONDAY, actor=att.b_rec, team=att.team_b)
    assert AttendanceDay.objects.count() == 2


def test_holidays_and_plain_weekends_are_not_recorded_but_swapped_saturdays_are(att):
    # 2026-10-01 is National Day; 2026-10-10 (Saturday) is a 调休 working day.
    with pytest.raises(ValidationError, match="不是工作日"):
        save_day(att, D(2026, 10, 1))
    with pytest.raises(ValidationError, match="不是工作日"):
        save_day(att, D(2026, 10, 11))  # a plain Sunday
    day = save_day(att, D(2026, 10, 10))
    assert day.records.count() == 6


def test_days_of_a_year_without_an_official_schedule_are_provisional(att):
    # 2027 has no schedule yet: weekdays count, marked provisional.
    day = save_day(att, D(2027, 1, 1))  # a Friday, New Year's Day by custom
    assert day.provisional
    with pytest.raises(ValidationError, match="不是工作日"):
        save_day(att, D(2027, 1, 2))


def test_future_days_cannot_be_recorded(att):
    with at(2026, 11, 2, 9), pytest.raises(ValidationError, match="未来"):
        services.save_roll(actor=att.a_rec, team=att.team_a, day=D(2026, 11, 3), entries={})


def test_approved_leave_fills_itself_in(att):
    approved_leave(att.a_cm1, LeaveKind.PERSONAL, MONDAY, MONDAY)
    approved_leave(att.a_cm2, LeaveKind.SICK, MONDAY, MONDAY, end_half="am")
    # The recorder cannot mark a full day of leave otherwise; the half day
    # off is not measured for lateness.
    save_day(att, MONDAY, {att.a_cm2.pk: entry(arrived_at=dt.time(13, 10))})
    cm1, cm2 = _record(att.a_cm1), _record(att.a_cm2)
    assert (cm1.status, cm1.leave_kind, cm1.leave_days, cm1.present_days) == (
        "leave",
        "personal",
        1,
        0,
    )
    assert (cm2.status, cm2.leave_kind, cm2.leave_half) == ("present", "sick", "am")
    assert (cm2.leave_days, cm2.present_days, cm2.late_minutes) == (
        Decimal("0.5"),
        Decimal("0.5"),
        0,
    )
    with pytest.raises(ValidationError, match="不在该日团队名单"):
        save_day(att, MONDAY, {99999: entry()}, reason="x")


def test_leave_approved_after_the_day_was_saved_rewrites_it_with_history(att):
    save_day(att, MONDAY, {att.a_cm1.pk: entry(status="absent")})
    assert _record(att.a_cm1).status == "absent"
    from attendance.services import leave as leave_services
    from tests.attendance.helpers import approve

    with at(2026, 11, 3, 10):
        sick = leave_services.submit_leave(
            actor=att.a_cm1,
            kind=LeaveKind.SICK,
            start_date=MONDAY,
            end_date=MONDAY,
            reason="发烧",
            sick_note=_png(),
        )
        approve(sick)
    record = _record(att.a_cm1)
    assert (record.status, record.absent_days, record.leave_days) == ("leave", 0, 1)
    assert record.history.first().history_change_reason.startswith("请假获批自动填入")


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("病假条.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")


def test_a_filed_slip_marks_the_day_as_outing_even_after_the_roll_was_saved(att):
    with at(2026, 11, 2, 8, 0):
        first = outing_services.file_outing_slip(
            actor=att.a_cm1,
            destination="福田区某写字楼",
            visitee="王总",
            contact="13800000000",
            purpose="拜访开户意向客户",
            planned_out=local(2026, 11, 2, 10),
            planned_back=local(2026, 11, 2, 12),
        )
    save_day(att, MONDAY)
    assert _record(att.a_cm1).outing_slip == first
    with at(2026, 11, 3, 9, 30):
        services.save_roll(actor=att.a_rec, team=att.team_a, day=D(2026, 11, 3), entries={})
        later = outing_services.file_outing_slip(
            actor=att.a_cm2,
            destination="建行网点",
            visitee="李经理",
            contact="0755-1234567",
            purpose="联合营销",
            planned_out=local(2026, 11, 3, 10),
            planned_back=local(2026, 11, 3, 16),
        )
    record = _record(att.a_cm2, D(2026, 11, 3))
    assert record.outing_slip == later
    assert record.present_days == 1
    assert "出访单" in record.history.first().history_change_reason


def test_saving_again_is_a_correction_that_needs_a_reason_and_keeps_history(att):
    save_day(att, MONDAY)
    with pytest.raises(ValidationError, match="更正须填写原因"):
        save_day(att, MONDAY, {att.a_cm1.pk: entry(arrived_at=dt.time(9, 20))})
    day = save_day(att, MONDAY, {att.a_cm1.pk: entry(arrived_at=dt.time(9, 20))}, reason="补记迟到")
    assert (day.revision, day.last_reason) == (2, "补记迟到")
    record = _record(att.a_cm1)
    assert record.late_minutes == 20
    history = list(record.history.order_by("history_date"))
    assert [h.history_change_reason for h in history] == ["记录考勤", "补记迟到"]
    # Only the changed record was rewritten.
    assert _record(att.a_cm2).history.count() == 1
    assert AttendanceRecord.history.filter(history_type="~").count() == 1


def test_a_single_record_is_corrected_with_a_reason(att):
    save_day(att, MONDAY)
    record = _record(att.a_cm1)
    with at(2026, 11, 4):
        with pytest.raises(ValidationError, match="原因"):
            services.correct_record(actor=att.a_rec, record=record, entry=entry(), reason=" ")
        with pytest.raises(ValidationError, match="没有变化"):
            services.correct_record(actor=att.a_rec, record=record, entry=entry(), reason="核对")
        with pytest.raises(ValidationError):
            services.correct_record(
                actor=att.b_rec, record=record, entry=entry(status="absent"), reason="x"
            )
        services.correct_record(
            actor=att.a_rec, record=record, entry=entry(status="absent"), reason="当日未到岗"
        )
    record.refresh_from_db()
    assert record.status == "absent"
    assert record.history.first().history_change_reason == "当日未到岗"
    assert record.history.first().history_user == att.a_rec


def test_a_member_moved_in_the_morning_is_recorded_once(att):
    from staff import services as staff_services

    save_day(att, MONDAY)
    with at(2026, 11, 2, 12):
        staff_services.change_posting(
            actor=att.a_tl,
            user=att.a_cm2,
            effective_on=MONDAY,
            reason="调入乙团队",
            team=att.team_b,
            group=att.g_b1,
        )
    day_b = save_day(att, MONDAY, actor=att.b_rec, team=att.team_b)
    assert not day_b.records.filter(person=att.a_cm2).exists()
    assert AttendanceRecord.objects.filter(person=att.a_cm2, date=MONDAY).count() == 1


# -- disputes (申诉) -------------------------------------------------------------------


def test_a_member_disputes_and_the_recorder_accepts_and_corrects(att):
    save_day(att, MONDAY, {att.a_cm1.pk: entry(arrived_at=dt.time(9, 25))})
    record = _record(att.a_cm1)
    with at(2026, 11, 3):
        dispute = services.file_dispute(
            actor=att.a_cm1, record=record, reason="8:58 已到网点，有网点签到表"
        )
        told = set(
            Notice.objects.filter(title__startswith="考勤申诉").values_list("user", flat=True)
        )
        assert told == {att.a_rec.pk, att.a_tl.pk}
        with pytest.raises(ValidationError, match="待处理的申诉"):
            services.file_dispute(actor=att.a_cm1, record=record, reason="再申诉")
        with pytest.raises(ValidationError, match="本人"):
            services.resolve_dispute(
                actor=att.a_cm2, dispute=dispute, accept=True, resolution="同意"
            )
        services.resolve_dispute(
            actor=att.a_rec,
            dispute=dispute,
            accept=True,
            resolution="核对签到表属实",
            entry=entry(arrived_at=dt.time(8, 58)),
        )
    dispute.refresh_from_db()
    record.refresh_from_db()
    assert (dispute.status, dispute.resolved_by) == (AttendanceDispute.Status.ACCEPTED, att.a_rec)
    assert record.late_minutes == 0
    assert record.history.first().history_change_reason == "申诉采纳：核对签到表属实"
    assert Notice.objects.filter(user=att.a_cm1, title__contains="已采纳").exists()


def test_a_rejected_dispute_leaves_the_record_and_disputes_expire(att):
    save_day(att, MONDAY, {att.a_cm1.pk: entry(status="absent")})
    record = _record(att.a_cm1)
    with at(2026, 11, 3):
        with pytest.raises(ValidationError, match="本人"):
            services.file_dispute(actor=att.a_cm2, record=record, reason="替他申诉")
        dispute = services.file_dispute(actor=att.a_cm1, record=record, reason="我在外拜访客户")
        with pytest.raises(ValidationError, match="处理意见"):
            services.resolve_dispute(actor=att.a_tl, dispute=dispute, accept=False, resolution="")
        services.resolve_dispute(
            actor=att.a_tl, dispute=dispute, accept=False, resolution="当日未填出访单"
        )
        with pytest.raises(ValidationError, match="已处理"):
            services.resolve_dispute(actor=att.a_tl, dispute=dispute, accept=True, resolution="x")
    record.refresh_from_db()
    assert record.status == "absent"
    with at(2026, 12, 4), pytest.raises(ValidationError, match="30 天"):
        services.file_dispute(actor=att.a_cm1, record=record, reason="补申诉")


def test_people_who_joined_later_are_not_on_earlier_rolls(att):
    newcomer = person(name="新人", group=att.a1, outlet=att.o1, hired_on=D(2026, 11, 3))
    assert not save_day(att, MONDAY).records.filter(person=newcomer).exists()
    assert save_day(att, D(2026, 11, 3)).records.filter(person=newcomer).exists()
