"""The Server-Timing header: total time, query time and query count."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

PATTERN = re.compile(
    r'total;dur=(\d+\.\d), cpu;dur=(\d+\.\d), db;dur=(\d+\.\d);desc="(\d+) queries"'
)


def test_every_response_carries_total_and_db_time_with_the_query_count(client, org):
    client.force_login(org.a_tl)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/")
    match = PATTERN.fullmatch(response["Server-Timing"])
    assert match, response["Server-Timing"]
    app_ms, cpu_ms, db_ms, count = float(match[1]), float(match[2]), float(match[3]), int(match[4])
    assert count == len(queries) > 0
    assert 0 <= db_ms <= app_ms
    assert 0 < cpu_ms <= app_ms + 1  # thread CPU time cannot exceed wall time


def test_a_page_without_queries_reports_zero(client):
    # The login page of an anonymous visitor needs no query.
    response = client.get("/accounts/login/")
    match = PATTERN.fullmatch(response["Server-Timing"])
    assert match
    assert match[4] == "0"
    assert match[3] == "0.0"


def test_redirects_and_errors_carry_it_too(client, org):
    assert "Server-Timing" in client.get("/staff/")  # anonymous: redirect to login
    client.force_login(org.a_cm1)
    assert "Server-Timing" in client.get("/staff/999999/")  # out of scope: 404


def test_it_can_be_turned_off(client, org, settings):
    settings.PORTAL_SERVER_TIMING = False
    client.force_login(org.a_cm1)
    assert "Server-Timing" not in client.get("/")
