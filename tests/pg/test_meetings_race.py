"""Two people record the same team's morning meeting at the same instant
(PostgreSQL only: SQLite serialises every writer).

With the team row locked, the second one waits, then sees the first one's
meeting and is told it is already recorded. Without the lock both pass the
duplicate check and the second insert fails on the unique constraint — a
database error instead of a message."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from meetings.models import Meeting, MeetingKind
from meetings.services import recording as services
from tests.pg.meeting import meeting_point

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CONTENT = {"market": "平开震荡。", "morale": "加油！"}


def _race(org, monkeypatch, *, lock: bool) -> list[type]:
    assert connection.vendor == "postgresql", (
        "run this folder against PostgreSQL (make test-postgres)"
    )
    monkeypatch.setattr(services, "_LOCK_TEAMS", lock)
    monkeypatch.setattr(services, "_after_read", meeting_point(lock=lock))
    outcomes: list[type] = []

    def record(actor):
        try:
            services.record_meeting(
                actor=actor,
                team=org.team_a,
                kind=MeetingKind.MORNING,
                date=timezone.localdate(),
                host=actor,
                content=CONTENT,
                roll={},
            )
            outcomes.append(Meeting)
        except (ValidationError, IntegrityError) as exc:
            outcomes.append(type(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=(org.a_tl,)),
        threading.Thread(target=record, args=(org.a_cm1,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Meeting.objects.filter(team=org.team_a).count() == 1
    return sorted(outcomes, key=lambda c: c.__name__)


def test_simultaneous_recordings_give_one_meeting_and_a_message(org, monkeypatch):
    assert _race(org, monkeypatch, lock=True) == [Meeting, ValidationError]


def test_without_the_lock_the_second_recording_is_a_database_error(org, monkeypatch):
    """Shows the test above can fail: remove the lock and the constraint trips."""
    assert _race(org, monkeypatch, lock=False) == [IntegrityError, Meeting]
