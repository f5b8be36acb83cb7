"""Scope of every teams page by role, and constant query counts as rows grow."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams import services
from teams.models import AnalysisReport, Duty, FilingKind, SpotCheck
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
        k = offset + i
        cm = person(group=org.a2, outlet=org.o1, employee_no=f"g{k:04d}")
        _log(cm)
        services.create_filing(
            actor=org.a_tl,
            team=org.team_a,
            kind=FilingKind.MARKETING,
            year=YEAR + k,
            title="方案",
            content="……",
        )
        services.draft_report(
            actor=org.a_tl, team=org.team_a, period="month", year=YEAR - k // 12, number=1 + k % 12
        )
        services.set_duty(
            actor=org.a_tl, team=org.team_a, person=cm, duty=Duty.SERVE, valid_from=DAY
        )
        services.pair_members(
            actor=org.a_tl, team=org.team_a, developer=org.a_cm1, servicer=cm, valid_from=DAY
        )
        services.write_note(actor=org.a_tl, member=cm, date=DAY, topic="谈话", content="……")


def _grow_and_draw(org, n: int, offset: int) -> None:
    _grow(org, n, offset)
    services.draw_spot_check(
        actor=org.a_tl, team=org.team_a, period_start=DAY, period_end=DAY, sample_size=n
    )


def _url(url: str, org) -> str:
    return url.format(
        team=org.team_a.pk,
        cm=org.a_cm1.pk,
        check=SpotCheck.objects.latest("pk").pk,
        report=AnalysisReport.objects.earliest("pk").pk,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/teams/",
        "/teams/filings/",
        "/teams/worklogs/",
        "/teams/reports/",
        "/teams/spotchecks/",
        "/teams/notes/",
        "/teams/{team}/",
        "/teams/{team}/people/",
        "/teams/{team}/duties/",
        "/teams/{team}/targets/2026/",
        "/teams/{team}/progress/2026/",
        "/teams/people/{cm}/progress/2026/",
        "/teams/{team}/worklogs/missing/?start=2026-03-02&end=2026-03-06",
        "/teams/{team}/coverage/?start=2026-03-01&end=2026-03-31",
        "/teams/spotchecks/{check}/",
        "/teams/reports/{report}/",
        "/teams/filings/export.xlsx",
        "/teams/worklogs/export.xlsx",
        "/teams/reports/export.xlsx",
        "/teams/spotchecks/export.xlsx",
    ],
)
def test_pages_keep_a_constant_number_of_queries(client, org, url):
    _grow_and_draw(org, 3, 0)
    client.force_login(org.a_tl)
    client.get(_url(url, org))  # warm the content-type cache
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(url, org)).status_code == 200
    _grow_and_draw(org, 22, 3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url(url, org)).status_code == 200
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]
