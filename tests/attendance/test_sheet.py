"""The monthly sheet and the figures payroll reads (attendance.selectors.
month_figures), checked against a month computed by hand."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from attendance import selectors
from attendance.models import LeaveKind
from attendance.services import events as event_services
from attendance.services import outing as outing_services
from portal.models import ExportLog
from staff import calendar
from staff import services as staff_services
from tests.attendance.helpers import approved_leave, at, entry, local, save_day

pytestmark = pytest.mark.django_db

D = dt.date


def record_october(att):
    """October 2026 for team A, by hand.

    Official working days (R-2.9): 8, 9, 10 (Saturday, 调休), 12–16, 19–23,
    26–30 — 18 days; 1–7 are National Day.

    a_cm1 (O1, 9:00–17:30): 8th late 9:10 (10 min); 9th left 17:00 (30 min
    early); 10th absent; 12th 2.5 h overtime; 13th–14th 事假 (2 days);
    15th morning 病假 (0.5) and arrives 13:20 (not late: morning off);
    16th outing slip and late 9:05 (5 min); 19th left his post; 20th 1.5 h
    overtime; absent from the training on the 21st.
    a_cm2 (O2, 8:30–17:00): 8th late 8:45 (15 min).
    """
    approved_leave(att.a_cm1, LeaveKind.PERSONAL, D(2026, 10, 13), D(2026, 10, 14))
    approved_leave(att.a_cm1, LeaveKind.SICK, D(2026, 10, 15), D(2026, 10, 15), end_half="am")
    with at(2026, 10, 16, 9, 30):
        outing_services.file_outing_slip(
            actor=att.a_cm1,
            destination="福田区客户公司",
            visitee="赵总",
            contact="13800138000",
            purpose="回访",
            planned_out=local(2026, 10, 16, 10),
            planned_back=local(2026, 10, 16, 15),
        )
    with at(2026, 10, 12):
        event = event_services.create_event(
            actor=att.a_tl,
            team=att.team_a,
            kind="training",
            topic="sales",
            title="销售技巧",
            date=D(2026, 10, 21),
            roster=[att.a_cm1, att.a_cm2],
        )
    with at(2026, 10, 22):
        event_services.record_event_attendance(
            actor=att.a_tl,
            event=event,
            statuses={att.a_cm1.pk: "absent", att.a_cm2.pk: "present"},
        )
    cm1, cm2 = att.a_cm1.pk, att.a_cm2.pk
    exceptions = {
        D(2026, 10, 8): {
            cm1: entry(arrived_at=dt.time(9, 10)),
            cm2: entry(arrived_at=dt.time(8, 45)),
        },
        D(2026, 10, 9): {cm1: entry(left_at=dt.time(17, 0))},
        D(2026, 10, 10): {cm1: entry(status="absent")},
        D(2026, 10, 12): {cm1: entry(overtime_hours=Decimal("2.5"))},
        D(2026, 10, 15): {cm1: entry(arrived_at=dt.time(13, 20))},
        D(2026, 10, 16): {cm1: entry(arrived_at=dt.time(9, 5))},
        D(2026, 10, 19): {cm1: entry(left_post=True)},
        D(2026, 10, 20): {cm1: entry(overtime_hours=Decimal("1.5"))},
    }
    for day in calendar.working_days(D(2026, 10, 1), D(2026, 10, 31)):
        save_day(att, day, exceptions.get(day, {}))


def _row(rows, who):
    return next(r for r in rows if r.person == who)


def test_the_month_adds_up_to_the_hand_computed_figures(att):
    record_october(att)
    rows = selectors.month_figures(2026, 10, team=att.team_a)
    assert len(rows) == 6
    cm1 = _row(rows, att.a_cm1)
    assert cm1.working_days == 18
    assert cm1.provisional_days == 0
    assert cm1.recorded_days == 18
    assert cm1.present_days == Decimal("14.5")
    assert (cm1.late_count, cm1.late_minutes) == (2, 15)
    assert (cm1.early_count, cm1.early_minutes) == (1, 30)
    assert cm1.absent_days == 1
    assert cm1.left_post_count == 1
    assert cm1.leave_days == {"personal": Decimal(2), "sick": Decimal("0.5")}
    assert cm1.leave_total == Decimal("2.5")
    assert cm1.outing_days == 1
    assert cm1.overtime_hours == Decimal(4)
    assert cm1.event_absences == 1
    assert cm1.present_days + cm1.leave_total + cm1.absent_days == cm1.working_days
    cm2 = _row(rows, att.a_cm2)
    assert (cm2.present_days, cm2.late_count, cm2.late_minutes) == (18, 1, 15)
    totals = selectors.sheet_totals(rows)
    assert totals["working_days"] == 6 * 18
    assert totals["present_days"] == Decimal(18 * 6 - 1 - Decimal("2.5"))
    assert (totals["late_count"], totals["late_minutes"]) == (3, 30)
    assert totals["leave_days"]["personal"] == 2
    assert totals["unrecorded_days"] == 0


def test_a_month_without_its_official_schedule_is_provisional(att):
    # 2027: weekdays only, marked provisional; 1 January 2027 is a Friday.
    for day in (D(2027, 1, 1), D(2027, 1, 4)):
        save_day(att, day)
    with at(2027, 2, 1):
        cm1 = _row(selectors.month_figures(2027, 1, team=att.team_a), att.a_cm1)
    assert cm1.working_days == 21
    assert cm1.provisional_days == 21
    assert (cm1.recorded_days, cm1.unrecorded_days) == (2, 19)


def test_payroll_reads_a_persons_whole_month_across_teams(att):
    # a_cm2 moves to team B on 16 November: team sheets split his month,
    # the payroll figures add it up.
    for day in calendar.working_days(D(2026, 11, 2), D(2026, 11, 13)):
        save_day(att, day, {att.a_cm2.pk: entry(arrived_at=dt.time(8, 40))})
    with at(2026, 11, 16, 9):  # a move is registered on the day it takes effect
        staff_services.change_posting(
            actor=att.a_tl,
            user=att.a_cm2,
            effective_on=D(2026, 11, 16),
            reason="调入乙团队",
            team=att.team_b,
            group=att.g_b1,
        )
    for day in calendar.working_days(D(2026, 11, 16), D(2026, 11, 20)):
        save_day(att, day, actor=att.b_rec, team=att.team_b)
    in_a = _row(selectors.month_figures(2026, 11, team=att.team_a), att.a_cm2)
    in_b = _row(selectors.month_figures(2026, 11, team=att.team_b), att.a_cm2)
    whole = selectors.month_figures(2026, 11, people=[att.a_cm2])[0]
    assert (in_a.working_days, in_a.recorded_days, in_a.late_count) == (10, 10, 10)
    assert (in_b.working_days, in_b.recorded_days, in_b.late_count) == (11, 5, 0)
    assert (whole.working_days, whole.recorded_days, whole.late_count) == (21, 15, 10)
    assert whole.late_minutes == 100
    by_id = selectors.month_figures(2026, 11, people=[att.a_cm2.pk])
    assert by_id[0].present_days == whole.present_days == 15


def test_the_sheet_page_shows_rows_and_totals_and_exports_them(client, att):
    record_october(att)
    client.force_login(att.a_tl)
    page = client.get(f"/attendance/sheet/?team={att.team_a.pk}&month=2026-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "合计（6 人）" in html
    assert len(page.context["rows"]) == 6
    export = client.get(f"/attendance/sheet/export.xlsx?team={att.team_a.pk}&month=2026-10")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == (
        "工号",
        "姓名",
        "应出勤天数",
        "其中暂定日历天数",
        "已记录天数",
        "出勤天数",
    )
    by_no = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_no["a_cm1"]["出勤天数"] == 14.5
    assert by_no["a_cm1"]["事假（天）"] == 2
    assert by_no["a_cm1"]["迟到分钟"] == 15
    assert by_no["合计"]["应出勤天数"] == 108
    assert by_no["合计"]["迟到分钟"] == 30
    log = ExportLog.objects.get()
    assert (log.what, log.rows, log.filters) == (
        "月度考勤表",
        7,
        {"team": att.team_a.pk, "month": "2026-10"},
    )
