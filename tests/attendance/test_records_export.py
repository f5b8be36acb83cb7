"""考勤明细 export: one row per person per day, within the viewer's scope,
streamed in a fixed number of queries whatever the number of days."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from portal.models import ExportLog
from staff import calendar
from tests.attendance.helpers import at, entry, save_day

pytestmark = pytest.mark.django_db

D = dt.date


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def _record(att, days):
    for day in days:
        save_day(att, day, {att.a_cm1.pk: entry(arrived_at=dt.time(9, 20))})
        save_day(att, day, actor=att.b_rec, team=att.team_b)


@pytest.fixture
def recorded(att):
    days = calendar.working_days(D(2026, 10, 26), D(2026, 11, 6))
    _record(att, days)
    return att, days


def test_a_team_leader_exports_his_teams_records_of_a_month(client, recorded):
    att, _days = recorded
    client.force_login(att.a_tl)
    with at(2026, 11, 20):
        response = client.get(f"/attendance/records/export.xlsx?team={att.team_a.pk}&month=2026-11")
    rows = _rows(response)
    header, data = rows[0], rows[1:]
    assert header[:3] == ("日期", "工号", "姓名")
    november = calendar.working_days(D(2026, 11, 1), D(2026, 11, 6))
    members = {r[1] for r in data}
    assert {"a_cm1", "a_cm2", "a_tl"} <= members
    assert not members & {"b_cm1", "b_cm2"}  # team B is not his
    assert {r[0].date() for r in data} == set(november)
    late = [r for r in data if r[1] == "a_cm1"]
    assert all(r[8] == "09:20" and r[9] > 0 for r in late)
    log = ExportLog.objects.get(what="考勤明细")
    assert log.rows == len(data)
    assert log.filters == {"team": att.team_a.pk, "from": "2026-11", "to": "2026-11"}


def test_without_a_team_the_export_covers_the_users_whole_scope(client, recorded):
    att, days = recorded
    client.force_login(att.bm1)
    with at(2026, 11, 20):
        data = _rows(client.get("/attendance/records/export.xlsx?from=2026-10&to=2026-11"))[1:]
    assert {r[1] for r in data} >= {"a_cm1", "b_cm1"}
    assert {r[0].date() for r in data} == set(days)


def test_query_count_does_not_grow_with_the_number_of_days(client, att):
    client.force_login(att.a_tl)
    url = f"/attendance/records/export.xlsx?team={att.team_a.pk}&from=2026-10&to=2026-11"
    _record(att, calendar.working_days(D(2026, 11, 2), D(2026, 11, 3)))
    with at(2026, 11, 20), CaptureQueriesContext(connection) as few:
        small = _rows(client.get(url))
    _record(att, calendar.working_days(D(2026, 10, 12), D(2026, 10, 30)))
    with at(2026, 11, 20), CaptureQueriesContext(connection) as many:
        large = _rows(client.get(url))
    assert len(large) > 5 * len(small)
    assert len(many) == len(few)


def test_a_client_manager_may_not_export(client, recorded):
    att, _days = recorded
    client.force_login(att.a_cm1)
    assert client.get("/attendance/records/export.xlsx").status_code == 403


def test_another_teams_records_are_refused(client, recorded):
    att, _days = recorded
    client.force_login(att.a_tl)
    response = client.get(f"/attendance/records/export.xlsx?team={att.team_c.pk}")
    assert response.status_code == 403


def test_at_most_twelve_months_at_once(client, recorded):
    att, _days = recorded
    client.force_login(att.bm1)
    with at(2026, 11, 20):
        assert (
            client.get("/attendance/records/export.xlsx?from=2025-11&to=2026-10").status_code == 200
        )
        assert (
            client.get("/attendance/records/export.xlsx?from=2025-11&to=2026-11").status_code == 403
        )
