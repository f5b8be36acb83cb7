"""Two archive staff confirm clients of the same branch at the same instant
(PostgreSQL only: SQLite serialises every writer, so the race cannot happen
there; `make test` runs this folder in its PostgreSQL pass).

With the month's counter row locked, the second entry waits, then takes the
next number: numbers stay gapless and unique (R-6.4). With the lock removed,
both read the same last number, and the second entry fails on the unique
number: an entry is lost."""

import threading

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone

from archives import services
from archives.models import ConfirmationSlip, SlipCounter
from archives.services import numbering
from tests.archives.conftest import with_clerks
from tests.pg.meeting import meeting_point

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(org, monkeypatch, *, lock: bool, rounds: int = 3) -> list[tuple[int, int]]:
    """Runs the race ``rounds`` times; returns (entries made, entries lost) per round."""
    assert connection.vendor == "postgresql", (
        "run this folder against PostgreSQL (make test-postgres)"
    )
    monkeypatch.setattr(numbering, "_LOCK_COUNTER", lock)
    today = timezone.localdate()
    # The month's counter exists, as after its first slip: every round races
    # on it (the first slip of a month waits on the counter's insert instead).
    SlipCounter.objects.create(branch=org.b1, month=today.replace(day=1))
    outcomes = []
    serial = iter(range(1000))
    for _ in range(rounds):
        monkeypatch.setattr(numbering, "_after_read", meeting_point(lock=lock))
        made, lost, errors = [], [], []

        def confirm(actor, manager, code, made=made, lost=lost, errors=errors):
            try:
                made.append(
                    services.issue_slip(
                        actor=actor,
                        manager=manager,
                        new_client={"crm_code": code, "name": f"客户{code}"},
                        opened_on=today,
                    )
                )
            except IntegrityError as exc:
                lost.append(exc)
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=confirm, args=(org.arch1, org.a_cm1, f"R{next(serial):04d}")),
            threading.Thread(target=confirm, args=(org.b_tl, org.b_cm1, f"R{next(serial):04d}")),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        outcomes.append((len(made), len(lost)))
    return outcomes


def test_simultaneous_entries_get_consecutive_numbers(org, monkeypatch):
    with_clerks(org)
    assert _race(org, monkeypatch, lock=True) == [(2, 0), (2, 0), (2, 0)]
    month = timezone.localdate().replace(day=1)
    seqs = sorted(ConfirmationSlip.objects.filter(branch=org.b1).values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5, 6]
    assert SlipCounter.objects.get(branch=org.b1, month=month).last == 6
    assert ConfirmationSlip.objects.first().number.startswith(f"BR01-{month:%Y%m}-")


def test_without_the_lock_an_entry_is_lost(org, monkeypatch):
    """Shows the test above can fail: remove the lock and numbers collide."""
    with_clerks(org)
    outcomes = _race(org, monkeypatch, lock=False)
    assert outcomes == [(1, 1), (1, 1), (1, 1)], outcomes
