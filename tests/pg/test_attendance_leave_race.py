"""Two overlapping leave requests of one person at the same instant
(PostgreSQL only: SQLite serialises every writer, so the race cannot
happen there; `make test` runs this folder in its PostgreSQL pass).

With the person's row locked, the second request sees the first and is
refused as overlapping. With the lock removed, both read "no overlap" and
both are filed: the person holds two leaves for the same days."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from attendance.models import LeaveRequest
from attendance.services import leave as services
from staff import calendar
from tests.pg.meeting import meeting_point

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(org, monkeypatch, *, lock: bool, rounds: int = 3) -> list[int]:
    """Runs the race ``rounds`` times; returns how many leaves each filed."""
    assert connection.vendor == "postgresql", (
        "run this folder against PostgreSQL (make test-postgres)"
    )
    monkeypatch.setattr(services, "_LOCK_PERSON", lock)
    today = timezone.localdate()
    days = calendar.working_days(today + dt.timedelta(days=7), today + dt.timedelta(days=60))
    filed = []
    for n in range(rounds):
        day = days[n * 3]
        monkeypatch.setattr(services, "_after_check", meeting_point(lock=lock))
        outcomes = []

        def ask(kind, outcomes=outcomes, day=day):
            try:
                services.submit_leave(
                    actor=org.a_cm1, kind=kind, start_date=day, end_date=day, reason="同一天"
                )
                outcomes.append("filed")
            except ValidationError as exc:
                outcomes.append("; ".join(exc.messages))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=ask, args=("personal",)),
            threading.Thread(target=ask, args=("sick",)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        count = LeaveRequest.objects.filter(person=org.a_cm1, start_date=day).count()
        filed.append(count)
        if lock:
            assert sorted(outcomes)[0] == "filed"
            assert "时间重叠" in sorted(outcomes)[1]
    return filed


def test_two_overlapping_requests_at_once_file_exactly_one(org, monkeypatch):
    assert _race(org, monkeypatch, lock=True) == [1, 1, 1]


def test_without_the_lock_both_overlapping_requests_are_filed(org, monkeypatch):
    """Shows the test above can fail: remove the lock and leave overlaps."""
    filed = _race(org, monkeypatch, lock=False)
    assert 2 in filed, filed
