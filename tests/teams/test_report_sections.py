"""R-8.4 with R-1.5: a team's analysis-report draft and its progress pages
carry the attendance and meeting figures of the period beside the targets."""

import datetime as dt

import pytest

from meetings.services import Mark
from staff.models import Role
from teams import services
from tests.attendance.helpers import at, entry, save_day
from tests.meetings.helpers import morning
from tests.staff.factories import role

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(org):
    """Monday 2 and Tuesday 3 November 2026 on team A's roll: 甲经理一 late
    on Monday; one morning meeting (Monday), 甲经理二 absent from it."""
    org.a_rec = org.a_gl
    role(org.a_rec, Role.ATTENDANCE_RECORDER, team=org.team_a)
    save_day(org, dt.date(2026, 11, 2), {org.a_cm1.pk: entry(arrived_at=dt.time(9, 20))})
    save_day(org, dt.date(2026, 11, 3))
    morning(
        org,
        dt.date(2026, 11, 2),
        roll={org.a_cm2.pk: Mark(present=False, reason="unexcused")},
    )
    return org


def _rows(section: dict) -> dict[str, str]:
    return {row["label"]: row["value"] for row in section["rows"]}


def test_the_report_draft_carries_attendance_and_meetings(week):
    with at(2026, 11, 5, 18):  # Thursday evening
        report = services.draft_report(
            actor=week.a_tl, team=week.team_a, period="month", year=2026, number=11
        )
    sections = {s["code"]: s for s in report.figures["sections"]}
    attendance = _rows(sections["attendance"])
    # Monday to Wednesday were due (Thursday's roll is kept that evening).
    assert attendance["考勤记录天数"] == "2 / 3"
    assert attendance["迟到"] == "1 次"
    assert attendance["出勤率"] == "100.0%"
    meetings = _rows(sections["meetings"])
    # Morning meetings Mon–Thu: Monday held, Tuesday and Wednesday missed,
    # Thursday still due (it may be recorded until the day is over).
    assert meetings["晨会"] == "1 / 3（33%）"
    assert meetings["缺开会议"] == "2 次"


def test_the_progress_pages_show_the_sections(client, week):
    client.force_login(week.a_tl)
    with at(2026, 11, 5, 18):
        client.force_login(week.a_tl)
        team_page = client.get(f"/teams/{week.team_a.pk}/progress/2026/")
        person_page = client.get(f"/teams/people/{week.a_cm2.pk}/progress/2026/")
    html = team_page.content.decode()
    assert 'data-testid="figure-sections"' in html
    assert "考勤记录天数" in html
    # The year so far: one morning meeting held of all those due since January.
    assert _rows(team_page.context["sections"][1])["晨会"].startswith("1 / ")
    assert team_page.context["sections_period"] == "2026-01-01 至 2026-11-05"
    # One member's page: his own absences, not the team's meeting count.
    mine = {s["code"]: _rows(s) for s in person_page.context["sections"]}
    assert mine["meetings"]["缺席会议"] == "1 次"
    assert "晨会" not in mine["meetings"]
    assert "考勤记录天数" not in mine["attendance"]
