"""Two keepers issue the last unit of stock at the same instant (PostgreSQL
only: SQLite serialises every writer, so the race cannot happen there;
`make test` runs this folder in its PostgreSQL pass).

With the item row locked, the second issue waits, then sees the stock gone
and is refused: one issue, no negative stock. With the lock removed, both
read "one left" and both succeed: two units issued from a stock of one."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from assets import selectors
from assets.models import Holding, Movement
from assets.services import ledger
from tests.assets.conftest import brochures, issue, with_keeper
from tests.pg.meeting import meeting_point

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def ao(org):
    return with_keeper(org)


def _race(ao, monkeypatch, *, lock: bool, rounds: int = 3) -> list[tuple[int, int]]:
    """Runs the race ``rounds`` times; returns (issues that succeeded, refusals) per round."""
    assert connection.vendor == "postgresql", (
        "run this folder against PostgreSQL (make test-postgres)"
    )
    monkeypatch.setattr(ledger, "_LOCK_ITEMS", lock)
    outcomes = []
    for _ in range(rounds):
        item = brochures(ao, 1)  # the last unit in the store
        monkeypatch.setattr(ledger, "_after_read", meeting_point(lock=lock))
        issued, refused, errors = [], [], []

        def take(person, item=item, issued=issued, refused=refused, errors=errors):
            try:
                issue(ao, item, person)
                issued.append(person)
            except ValidationError as exc:
                refused.append(exc)
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=take, args=(p,)) for p in (ao.a_cm1, ao.a_cm2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        outcomes.append((len(issued), len(refused)))
    return outcomes


def test_two_simultaneous_issues_of_the_last_unit_one_is_refused(ao, monkeypatch):
    outcomes = _race(ao, monkeypatch, lock=True)
    assert outcomes == [(1, 1), (1, 1), (1, 1)]
    assert Movement.objects.filter(kind="issue").count() == 3
    assert not Holding.objects.filter(holder__isnull=True).exists()
    assert selectors.ledger_discrepancies() == []


def test_without_the_lock_the_last_unit_is_issued_twice(ao, monkeypatch):
    """Shows the test above can fail: remove the lock and stock goes negative."""
    outcomes = _race(ao, monkeypatch, lock=False)
    assert (2, 0) in outcomes, outcomes
    store = {
        key: qty for key, qty in selectors.ledger_balances().items() if key[2] is None and qty < 0
    }
    assert store, "the ledger shows a store below zero"
