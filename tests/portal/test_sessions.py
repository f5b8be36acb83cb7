"""Sessions end after inactivity; activity extends them without writing the
session on every request."""

import datetime as dt

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def _session_writes(client, path="/") -> int:
    with CaptureQueriesContext(connection) as q:
        client.get(path)
    return sum(
        1
        for x in q.captured_queries
        if "django_session" in x["sql"]
        and (x["sql"].startswith("UPDATE") or x["sql"].startswith("INSERT"))
    )


def test_activity_extends_the_session_and_idleness_ends_it(client, org, settings):
    settings.SESSION_COOKIE_AGE = 2 * 3600
    settings.PORTAL_SESSION_REFRESH = 60
    with time_machine.travel(T0, tick=False):
        client.force_login(org.a_cm1)
        assert client.get("/").status_code == 200
    # Active every 90 minutes: still in after five hours.
    for hours in (1.5, 3, 4.5):
        with time_machine.travel(T0 + dt.timedelta(hours=hours), tick=False):
            assert client.get("/").status_code == 200, hours
    # Then two hours and a minute of nothing: back to the login page.
    with time_machine.travel(T0 + dt.timedelta(hours=6, minutes=31), tick=False):
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_session_is_written_at_most_once_a_minute(client, org, settings):
    settings.PORTAL_SESSION_REFRESH = 60
    with time_machine.travel(T0, tick=False):
        client.force_login(org.a_cm1)
        _session_writes(client)
        # Ten block fetches in the same minute: no session writes.
        assert sum(_session_writes(client, "/home/my_posts/") for _ in range(10)) == 0
    with time_machine.travel(T0 + dt.timedelta(seconds=61), tick=False):
        assert _session_writes(client) == 1
    assert Session.objects.count() == 1
