"""Query counts pinned on a 50-person team, so an N+1 shows: the roll
(open and save), the monthly sheet and its export, and every list page and
export of the chapter."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import CheckRound, LeaveKind, PatrolEntry, TeamEvent
from attendance.services import events as event_services
from attendance.services import outing as outing_services
from attendance.services import roll as roll_services
from staff import calendar
from staff.models import Role
from tests.attendance.helpers import approved_leave, ask_leave, at, entry, local, save_day
from tests.staff.factories import GroupFactory, OutletFactory, person, role

pytestmark = pytest.mark.django_db

D = dt.date
SIZE = 50


@pytest.fixture
def big(org):
    """Team A grown to 50 people over four outlets, with a month recorded,
    leave, slips, disputes, events and patrols."""
    o = org
    o.rec = person(name="考勤员", group=o.a2, outlet=o.o1, employee_no="rec50")
    role(o.rec, Role.ATTENDANCE_RECORDER, team=o.team_a)
    outlets = [o.o1, o.o2, OutletFactory(branch=o.b1), OutletFactory(branch=o.b1)]
    groups = [o.a1, o.a2, GroupFactory(team=o.team_a, name="A3")]
    o.members = [o.a_tl, o.a_gl, o.a_cm1, o.a_cm2, o.a_rm, o.rec]
    while len(o.members) < SIZE:
        n = len(o.members)
        o.members.append(
            person(name=f"成员{n}", group=groups[n % 3], outlet=outlets[n % 4], employee_no=f"m{n}")
        )
    # November 2026: every working day to the 19th recorded, with exceptions.
    for i, who in enumerate(o.members[6:16]):
        approved_leave(who, LeaveKind.PERSONAL, D(2026, 11, 9 + i % 5), D(2026, 11, 9 + i % 5))
    for i, who in enumerate(o.members[16:26]):
        with at(2026, 11, 11, 8):
            outing_services.file_outing_slip(
                actor=who,
                destination=f"客户{i}",
                visitee="客户",
                contact="138",
                purpose="拜访",
                planned_out=local(2026, 11, 11, 10),
                planned_back=local(2026, 11, 11, 12),
            )
    for day in calendar.working_days(D(2026, 11, 2), D(2026, 11, 19)):
        late = {who.pk: entry(arrived_at=dt.time(9, 20)) for who in o.members[30:40]}
        save_day(o, day, late, actor=o.rec)
    for i, who in enumerate(o.members[40:50]):
        ask_leave(who, LeaveKind.PERSONAL, D(2026, 11, 25), D(2026, 11, 25 + i % 2))
    with at(2026, 11, 19, 17):
        from attendance.models import AttendanceRecord

        for who in o.members[30:40]:
            record = AttendanceRecord.objects.get(person=who, date=D(2026, 11, 18))
            roll_services.file_dispute(actor=who, record=record, reason="不是迟到")
        for k in range(12):
            event_services.create_event(
                actor=o.a_tl,
                team=o.team_a,
                kind=TeamEvent.Kind.TRAINING,
                topic=TeamEvent.Topic.BUSINESS,
                title=f"培训{k}",
                date=D(2026, 11, 19),
                roster=o.members[:20],
            )
            event_services.record_patrol(
                actor=o.a_tl,
                team=o.team_a,
                date=D(2026, 11, 19),
                outlet=outlets[k % 4],
                entries={who.pk: (PatrolEntry.Found.IN_POST, "") for who in o.members[:10]},
            )
            outing_services.start_check_round(
                actor=o.a_tl,
                team=o.team_a,
                period_start=D(2026, 11, 1),
                period_end=D(2026, 11, 19),
                mode=CheckRound.Mode.ALL,
            )
    return o


@pytest.fixture
def now():
    with at(2026, 11, 20, 10):
        yield


def _count(client, url, method="get", data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(queries)


def test_the_roll_of_a_50_person_team_opens_and_saves_in_fixed_queries(
    client, big, now, django_assert_num_queries
):
    assert len(big.members) == SIZE
    client.force_login(big.rec)
    url = f"/attendance/roll/?team={big.team_a.pk}&date=2026-11-20"
    with django_assert_num_queries(16):
        page = client.get(url)
    assert len(page.context["rows"]) == SIZE
    data = {f"s_{m.pk}": "present" for m in big.members}
    data.update({f"a_{m.pk}": "09:30" for m in big.members[:25]})
    # SQLite takes 999 parameters a statement, so 50 rows of 27 columns are
    # two INSERTs per table there and one on PostgreSQL.
    with django_assert_num_queries(29 if connection.vendor == "sqlite" else 27):
        assert client.post(url, data).status_code == 302
    # A saved day with its corrections log opens in the same number of queries.
    saved = f"/attendance/roll/?team={big.team_a.pk}&date=2026-11-19"
    with django_assert_num_queries(17):
        client.get(saved)
    data = {f"s_{m.pk}": "absent" for m in big.members[:20]}
    data["reason"] = "补记旷工"
    with django_assert_num_queries(26):
        assert client.post(saved, data).status_code == 302


def test_the_monthly_sheet_of_a_50_person_team_in_fixed_queries(
    client, big, now, django_assert_num_queries
):
    client.force_login(big.a_tl)
    url = f"/attendance/sheet/?team={big.team_a.pk}&month=2026-11"
    with django_assert_num_queries(14):
        page = client.get(url)
    assert len(page.context["rows"]) == SIZE
    assert page.context["totals"]["late_count"] == 10 * 14
    with django_assert_num_queries(12):
        client.get(url.replace("/sheet/", "/sheet/export.xlsx"))
    with django_assert_num_queries(20):
        client.get(f"/attendance/people/{big.members[35].pk}/?month=2026-11")


LISTS = {
    "/attendance/leave/?who=team": 12,
    "/attendance/leave/export.xlsx?who=team": 9,
    "/attendance/outings/?who=team": 9,
    "/attendance/outings/export.xlsx?who=team": 6,
    "/attendance/disputes/": 9,
    "/attendance/events/": 10,
    "/attendance/patrols/": 9,
    "/attendance/checks/": 9,
    "/attendance/": 20,
}


def test_lists_and_exports_keep_a_fixed_number_of_queries(client, big, now):
    """Each list has at least ten rows (a page of 50 for leave and slips)."""
    client.force_login(big.a_tl)
    counts = {url: _count(client, url) for url in LISTS}
    assert counts == LISTS
    for url in LISTS:
        if "export" not in url and url != "/attendance/":
            assert len(client.get(url).context["page_obj"]) >= 10, url
