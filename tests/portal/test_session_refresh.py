"""SessionRefreshMiddleware: sliding expiry, saved at most every few minutes."""

from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.middleware import SessionRefreshMiddleware

pytestmark = pytest.mark.django_db

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"


@pytest.fixture
def refreshing(settings):
    stack = list(settings.MIDDLEWARE)
    stack.insert(stack.index(SESSION) + 1, "portal.middleware.SessionRefreshMiddleware")
    settings.MIDDLEWARE = stack
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.PORTAL_SESSION_REFRESH_SECONDS = 300


def _session_writes(queries):
    return [
        q
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_pages_within_five_minutes_write_no_session(refreshing, client, org):
    client.force_login(org.a_tl)
    with mock.patch("portal.middleware.time.time", return_value=1_000_000):
        client.get("/staff/")  # first page after login: refreshed
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/")
    assert response.status_code == 200
    assert _session_writes(queries) == []


def test_after_five_minutes_the_expiry_moves_on(refreshing, client, org):
    client.force_login(org.a_tl)
    with mock.patch("portal.middleware.time.time", return_value=1_000_000):
        client.get("/staff/")
    before = client.session.get_expiry_date()
    later = mock.patch("portal.middleware.time.time", return_value=1_000_000 + 301)
    with later, CaptureQueriesContext(connection) as queries:
        client.get("/staff/")
    assert len(_session_writes(queries)) == 1
    assert client.session[SessionRefreshMiddleware.key] == 1_000_301
    assert client.session.get_expiry_date() >= before


def test_anonymous_visitors_get_no_session(refreshing, client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
