"""Which required meetings were held (R-3.3): morning meetings on the
official working days (holidays off, 调休 Saturdays on, R-2.9), a weekly
meeting each week with working days, a monthly summary each month."""

import datetime as dt

import pytest

from meetings import rules, selectors
from meetings.models import MeetingKind
from meetings.selectors import Slot
from staff.models import Team, User
from tests.meetings.helpers import morning, weekly
from tests.staff.factories import TeamFactory

pytestmark = pytest.mark.django_db

FEB = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
# February 2026: Spring Festival 15–23 February off; Saturdays 14 and 28 worked (调休).
FEB_WORKING = [
    *[dt.date(2026, 2, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14)],
    *[dt.date(2026, 2, d) for d in (24, 25, 26, 27, 28)],
]


def _one(team, start, end, today):
    return selectors.compliance([team], start, end, today=today)[0]


def test_morning_meetings_are_required_on_working_days_only_over_holidays_and_swaps(mt):
    result = _one(mt.team_a, *FEB, today=dt.date(2026, 3, 31))
    assert [s.start for s in result.morning] == FEB_WORKING
    assert dt.date(2026, 2, 14) in [s.start for s in result.morning]  # 调休 Saturday
    assert dt.date(2026, 2, 16) not in [s.start for s in result.morning]  # 春节
    assert dt.date(2026, 2, 21) not in [s.start for s in result.morning]  # plain Saturday


def test_held_missed_and_not_yet_due(mt):
    held = morning(mt, dt.date(2026, 2, 14))  # the swapped Saturday
    morning(mt, dt.date(2026, 2, 24))
    result = _one(mt.team_a, *FEB, today=dt.date(2026, 2, 25))
    status = {s.start: s.status for s in result.morning}
    assert status[dt.date(2026, 2, 14)] == Slot.HELD
    assert status[dt.date(2026, 2, 13)] == Slot.MISSED
    assert status[dt.date(2026, 2, 24)] == Slot.HELD
    assert status[dt.date(2026, 2, 25)] == Slot.DUE  # today, still to be held
    assert status[dt.date(2026, 2, 26)] == Slot.UPCOMING
    assert next(s for s in result.morning if s.start == dt.date(2026, 2, 14)).meeting_id == held.pk
    summary = result.morning_summary
    assert (summary["required"], summary["held"], summary["missed"], summary["past"]) == (
        16,
        2,
        10,
        12,
    )
    assert summary["rate"] == 17


def test_a_week_of_holidays_needs_no_weekly_meeting(mt):
    result = _one(mt.team_a, *FEB, today=dt.date(2026, 3, 31))
    # Weeks count in the month of their Thursday: 26 Jan–1 Feb belongs to January.
    assert [s.start for s in result.weekly] == [
        dt.date(2026, 2, 2),
        dt.date(2026, 2, 9),
        dt.date(2026, 2, 23),
    ]
    october = _one(mt.team_a, dt.date(2026, 10, 1), dt.date(2026, 10, 31), dt.date(2026, 11, 30))
    # The National Day week (Thursday 1 October) still has 28–30 September to meet in.
    assert [s.start for s in october.weekly] == [
        dt.date(2026, 9, 28),
        dt.date(2026, 10, 5),
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 26),
    ]


def test_weekly_meeting_held_any_day_of_its_week(mt):
    weekly(mt, dt.date(2026, 2, 14))  # held on the swapped Saturday
    result = _one(mt.team_a, *FEB, today=dt.date(2026, 2, 25))
    status = {s.start: s.status for s in result.weekly}
    assert status == {
        dt.date(2026, 2, 2): Slot.MISSED,
        dt.date(2026, 2, 9): Slot.HELD,
        dt.date(2026, 2, 23): Slot.DUE,
    }


def test_monthly_summary_is_due_until_the_tenth_of_the_next_month(mt):
    weekly(mt, dt.date(2026, 2, 5), kind=MeetingKind.MONTHLY)  # sums up January
    jan = _one(mt.team_a, dt.date(2026, 1, 1), dt.date(2026, 1, 31), dt.date(2026, 2, 20))
    assert [s.status for s in jan.monthly] == [Slot.HELD]
    assert [s.status for s in _one(mt.team_a, *FEB, today=dt.date(2026, 3, 10)).monthly] == [
        Slot.DUE
    ]
    assert [s.status for s in _one(mt.team_a, *FEB, today=dt.date(2026, 3, 11)).monthly] == [
        Slot.MISSED
    ]
    assert [s.status for s in _one(mt.team_a, *FEB, today=dt.date(2026, 1, 20)).monthly] == [
        Slot.UPCOMING
    ]


def test_bank_teams_hold_no_morning_meetings_but_weekly_and_monthly(mt):
    result = _one(mt.team_b, *FEB, today=dt.date(2026, 3, 31))
    assert result.morning == []
    assert len(result.weekly) == 3
    assert len(result.monthly) == 1


def test_only_days_when_the_team_was_active_count(mt):
    young = TeamFactory(branch=mt.b1, founded_on=dt.date(2026, 2, 25))
    result = _one(young, *FEB, today=dt.date(2026, 3, 31))
    assert [s.start for s in result.morning] == [dt.date(2026, 2, d) for d in (25, 26, 27, 28)]
    assert [s.start for s in result.weekly] == [dt.date(2026, 2, 23)]
    gone = TeamFactory(branch=mt.b1, status=Team.Status.DISSOLVED, dissolved_on=dt.date(2026, 2, 4))
    result = _one(gone, *FEB, today=dt.date(2026, 3, 31))
    assert [s.start for s in result.morning] == [dt.date(2026, 2, 2), dt.date(2026, 2, 3)]
    preparing = TeamFactory(branch=mt.b1, status=Team.Status.PREPARING, founded_on=None)
    assert _one(preparing, *FEB, today=dt.date(2026, 3, 31)).missed_total == 0


def test_team_month_grid_shows_every_row_and_counts_only_the_month(mt):
    grid = selectors.team_month(mt.team_a, 2026, 2, today=dt.date(2026, 3, 31))
    first_row = grid["weeks"][0]
    assert first_row["slot"].start == dt.date(2026, 1, 26)  # shown …
    assert first_row["counted"] is False  # … but counted in January
    assert [w["slot"] is None for w in grid["weeks"]] == [False, False, False, True, False]
    assert grid["result"].weekly_summary["required"] == 3
    assert grid["result"].morning_summary["required"] == 16
    assert grid["monthly"].start == dt.date(2026, 2, 1)
    saturday = next(d for w in grid["weeks"] for d in w["days"] if d and d["date"].day == 14)
    assert saturday["working"]
    assert saturday["slot"].status == Slot.MISSED


def test_compliance_of_many_teams_takes_two_queries(mt, django_assert_num_queries):
    admin = User.objects.create_superuser("root", name="管理员")
    teams = [TeamFactory(branch=mt.b1) for _ in range(20)]
    for team in teams[:5]:
        morning(mt, dt.date(2026, 2, 24), team=team, actor=admin, host=mt.bm1)
    teams = list(Team.objects.filter(pk__in=[t.pk for t in teams]))
    with django_assert_num_queries(2):
        rows = selectors.compliance(teams, *FEB, today=dt.date(2026, 3, 31))
    assert sum(r.morning_summary["held"] for r in rows) == 5


def test_rules_of_periods():
    assert rules.week_start(dt.date(2026, 3, 1)) == dt.date(2026, 2, 23)
    assert rules.period_of(MeetingKind.MONTHLY, dt.date(2026, 3, 10)) == dt.date(2026, 2, 1)
    assert rules.period_of(MeetingKind.MONTHLY, dt.date(2026, 3, 11)) == dt.date(2026, 3, 1)
    assert rules.summary_months(dt.date(2026, 1, 3)) == [dt.date(2025, 12, 1), dt.date(2026, 1, 1)]
    assert rules.is_editable(dt.date(2026, 3, 1), dt.date(2026, 3, 8))
    assert not rules.is_editable(dt.date(2026, 3, 1), dt.date(2026, 3, 9))
    assert rules.deadline(MeetingKind.MONTHLY, dt.date(2026, 2, 1)) == dt.date(2026, 3, 10)
