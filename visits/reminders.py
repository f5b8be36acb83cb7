"""The chapter's reminder sources for ``manage.py send_reminders`` (R-7.3:
follow-ups are chased; R-7.1: the month's logs go in at month end).

The rules (who is told what, and when) are in
:func:`visits.selectors.due_followup_reminders` and
:func:`visits.selectors.due_month_reminders`; this module only shapes them
for the portal. Every reminder's key names the follow-up (or the month) and
the step it is at, so the command may run any number of times a day and
nobody is told the same thing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from portal.registry import Reminder
from staff.models import User
from visits.selectors import due_followup_reminders, due_month_reminders


def _shape(rows) -> Iterator[Reminder]:
    people = User.objects.filter(is_active=True).in_bulk({r.user_id for r in rows})
    for r in rows:
        user = people.get(r.user_id)
        if user is None:
            continue
        yield Reminder(users=(user,), title=r.title, key=r.dedup_key, body=r.body, url=r.url)


def followup_reminders(today: dt.date) -> Iterator[Reminder]:
    """The owner the day before a follow-up is due, on the day and weekly
    while it stays open; his team leader once it is a week overdue; the
    owner again when a resolved one has not been told to the client."""
    yield from _shape(due_followup_reminders(today))


def month_reminders(today: dt.date) -> Iterator[Reminder]:
    """From the 25th: logs of the month not yet submitted for verification."""
    yield from _shape(due_month_reminders(today))
