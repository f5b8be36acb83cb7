"""Scope of every teams page by role, and constant query counts as rows grow."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams import services
from teams.models import FilingKind
from tests.staff.factories import person
from tests.teams.conftest import YEAR

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)


def _log(who, day=DAY):
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)):
        return services.file_work_log(actor=who, done=f"{who.name} 的工作")


def test_work_logs_are_seen_by_exactly_the_right_people(client, org):
    for who in (org.a_gl, org.a_cm1, org.a_cm2, org.b_cm1, org.c_cm):
        _log(who)
    expectations = {
        "a_cm1": {"a_cm1"},
        "a_gl": {"a_gl", "a_cm1"},
        "a_rm": {"a_cm2", "b_cm1"},  # the outlets he covers
        "a_tl": {"a_gl", "a_cm1", "a_cm2"},
        "bm1": {"a_gl", "a_cm1", "a_cm2", "b_cm1"},
        "office": set(),
        "c_tl": {"c_cm"},
    }
    for login, expected in expectations.items():
        client.force_login(getattr(org, login))
        seen = {w.person.employee_no for w in client.get("/teams/worklogs/").context["page_obj"]}
        assert seen == expected, login


def test_a_work_log_outside_the_scope_is_404(client, org):
    log = _log(org.b_cm1)
    client.force_login(org.a_tl)
    assert client.get(f"/teams/worklogs/{log.pk}/").status_code == 404
    client.force_login(org.b_tl)
    assert client.get(f"/teams/worklogs/{log.pk}/").status_code == 200


def test_team_pages_are_scoped(client, org):
    for login, status in (
        ("a_cm1", 200),
        ("a_tl", 200),
        ("b_tl", 404),
        ("bm1", 200),
        ("c_tl", 404),
        ("office", 200),
    ):
        client.force_login(getattr(org, login))
        assert client.get(f"/teams/{org.team_a.pk}/").status_code == status, login
    client.force_login(org.a_cm1)
    assert client.get(f"/teams/{org.team_a.pk}/people/").status_code == 403
    assert client.get(f"/teams/{org.team_a.pk}/duties/").status_code == 403


def _grow(org, n: int, offset: int) -> None:
    for i in range(n):
        cm = person(group=org.a2, outlet=org.o1, employee_no=f"g{offset + i:04d}")
        _log(cm)
        services.create_filing(
            actor=org.a_tl,
            team=org.team_a,
            kind=FilingKind.MARKETING,
            year=YEAR + offset + i,
            title="方案",
            content="……",
        )
        services.draft_report(
            actor=org.a_tl, team=org.team_a, period="month", year=YEAR, number=1 + (offset + i) % 12
        ) if (offset + i) < 12 else None


@pytest.mark.parametrize(
    "url",
    [
        "/teams/",
        "/teams/filings/",
        "/teams/worklogs/",
        "/teams/reports/",
        "/teams/spotchecks/",
        "/teams/{team}/",
        "/teams/{team}/people/",
        "/teams/{team}/targets/2026/",
        "/teams/{team}/progress/2026/",
    ],
)
def test_pages_keep_a_constant_number_of_queries(client, org, url):
    url = url.format(team=org.team_a.pk)
    _grow(org, 2, 0)
    services.draw_spot_check(
        actor=org.a_tl, team=org.team_a, period_start=DAY, period_end=DAY, sample_size=1
    )
    client.force_login(org.a_tl)
    client.get(url)  # warm the content-type cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _grow(org, 8, 2)
    services.draw_spot_check(
        actor=org.a_tl, team=org.team_a, period_start=DAY, period_end=DAY, sample_size=3
    )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]
