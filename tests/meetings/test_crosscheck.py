"""The morning meeting's roll call checked against the day's attendance
(approved leave, outing slips, the recorder's roll) — read only through
attendance.selectors."""

import datetime as dt

import pytest

from attendance.models import AttendanceRecord, LeaveKind
from meetings import crosscheck
from meetings.crosscheck import DayFact
from meetings.models import AbsenceReason
from tests.attendance.helpers import approved_leave, entry, local, save_day
from tests.meetings.helpers import Mark, at, morning
from tests.staff.factories import person

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 25)


def _slip(who, day):
    from attendance.services.outing import file_outing_slip

    with at(day.year, day.month, day.day, 8):
        return file_outing_slip(
            actor=who,
            destination="福田区车公庙某大厦",
            visitee="陈先生",
            contact="13912345678",
            purpose="介绍两融业务",
            planned_out=local(day.year, day.month, day.day, 10),
            planned_back=local(day.year, day.month, day.day, 12),
        )


def _messages(check, who):
    return [(f.level, f.message) for f in check["by_person"].get(who.pk, [])]


def test_roll_call_against_the_days_leave_slips_and_recorded_attendance(mt):
    approved_leave(mt.a_cm2, LeaveKind.PERSONAL, DAY, DAY)
    _slip(mt.a_gl, DAY)
    roll = {
        mt.a_cm1.pk: Mark(True),
        mt.a_cm2.pk: Mark(True),
        mt.a_gl.pk: Mark(False, AbsenceReason.OUTING),
        mt.a_rm.pk: Mark(False, AbsenceReason.LATE),
        mt.a_rec.pk: Mark(False, AbsenceReason.LEAVE),
        mt.a_tl.pk: Mark(False, AbsenceReason.OTHER, "在营业部开会"),
    }
    meeting = morning(mt, DAY, actor=mt.a_gl, host=mt.a_gl, roll=roll)
    marks = {a.person_id: (a.present, a.reason) for a in meeting.attendees.all()}

    before = crosscheck.cross_check(meeting, marks)
    assert before["recorded"] is False
    assert _messages(before, mt.a_cm2) == [("danger", "点名为出席，但考勤为事假")]
    assert _messages(before, mt.a_rec) == [("danger", "点名为请假，但当日没有批准的请假单")]
    assert _messages(before, mt.a_gl) == []  # the slip covers the outing

    save_day(
        mt,
        DAY,
        {
            mt.a_cm1.pk: entry(status=AttendanceRecord.Status.ABSENT),
            mt.a_rm.pk: entry(arrived_at=dt.time(9, 20)),
        },
    )
    after = crosscheck.cross_check(meeting, marks)
    assert after["recorded"] is True
    assert _messages(after, mt.a_cm1) == [("danger", "点名为出席，但考勤为旷工")]
    assert _messages(after, mt.a_cm2) == [("danger", "点名为出席，但考勤为事假")]
    assert _messages(after, mt.a_rm) == []  # late indeed
    assert _messages(after, mt.a_tl) == [("info", "缺席会议，但考勤为正常出勤")]
    assert after["mismatches"] == 3


def test_late_reason_without_a_late_record_is_a_mismatch(mt):
    meeting = morning(mt, DAY, roll={mt.a_rm.pk: Mark(False, AbsenceReason.LATE)})
    save_day(mt, DAY)
    check = crosscheck.cross_check(meeting, {mt.a_rm.pk: (False, AbsenceReason.LATE)})
    assert _messages(check, mt.a_rm) == [("danger", "点名为迟到，但考勤未记迟到")]


def test_someone_posted_after_the_meeting_was_recorded_shows_as_not_on_the_roll(mt):
    meeting = morning(mt, DAY)
    newcomer = person(name="新人", group=mt.a1, outlet=mt.o1, hired_on=DAY)
    marks = {a.person_id: (a.present, a.reason) for a in meeting.attendees.all()}
    check = crosscheck.cross_check(meeting, marks)
    assert check["missing_ids"] == [newcomer.pk]
    assert _messages(check, newcomer) == [("info", "在团队考勤名单中，但未列入点名")]


@pytest.mark.parametrize(
    ("mark", "fact", "expected"),
    [
        ((True, ""), DayFact(1, recorded=True, status="present"), []),
        ((True, ""), DayFact(1, recorded=True, status="absent"), ["danger"]),
        ((True, ""), DayFact(1, recorded=True, status="leave", leave_label="病假"), ["danger"]),
        ((True, ""), DayFact(1, leave_label="病假", full_day_leave=True), ["danger"]),
        ((True, ""), DayFact(1, leave_label="病假", full_day_leave=False), []),  # half a day
        ((False, AbsenceReason.LEAVE), DayFact(1, leave_label="年假"), []),
        ((False, AbsenceReason.OUTING), DayFact(1), ["danger"]),
        ((False, AbsenceReason.OUTING), DayFact(1, outing=True), []),
        ((False, AbsenceReason.LATE), DayFact(1), []),  # attendance not saved yet
        ((False, AbsenceReason.BUSINESS), DayFact(1, recorded=True, status="present"), []),
        ((False, AbsenceReason.UNEXCUSED), DayFact(1, recorded=True, status="absent"), []),
        ((False, AbsenceReason.UNEXCUSED), DayFact(1, recorded=True, status="present"), ["info"]),
    ],
)
def test_compare_rules(mark, fact, expected):
    findings = crosscheck.compare({1: mark}, {1: fact})
    assert [f.level for f in findings] == expected


def test_compare_flags_people_not_on_the_days_team():
    findings = crosscheck.compare({1: (True, "")}, {})
    assert [(f.level, f.message) for f in findings] == [("info", "当日不在团队考勤名单中")]
