"""Gapless serial numbers per branch per month (DESIGN: serial numbers).

A counter row per (branch, month) is created race-free (an insert that
ignores a conflict) and then locked with ``select_for_update`` for the rest
of the transaction: a second entry waits for the first to commit, then
takes the next number. A rolled-back entry rolls its number back too, so
there are never gaps. Voiding and closing a month lock the same row, so
they queue behind entries of that month."""

from __future__ import annotations

import datetime as dt

from archives.models import SlipCounter

# Tests switch the lock off to show the PostgreSQL race test can fail.
_LOCK_COUNTER = True


def _after_read(counter: SlipCounter) -> None:
    """Test hook: two threads meet here at a barrier."""


def lock_counter(branch_id: int, month: dt.date) -> SlipCounter:
    SlipCounter.objects.bulk_create(
        [SlipCounter(branch_id=branch_id, month=month)], ignore_conflicts=True
    )
    rows = SlipCounter.objects.filter(branch_id=branch_id, month=month)
    if _LOCK_COUNTER:
        rows = rows.select_for_update()
    counter = rows.get()
    _after_read(counter)
    return counter


def take_next(counter: SlipCounter) -> int:
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last
