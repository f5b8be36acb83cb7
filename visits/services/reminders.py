"""Sending the chapter's daily reminders (R-7.3: follow-ups are chased).

The portal's daily job (the lead's ``send_reminders`` command, run by cron)
calls :func:`send_reminders`; it may run any number of times a day, since
every reminder carries a de-duplication key."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from approvals.notify import notify
from staff.models import User
from visits.selectors.followups import due_reminders


@transaction.atomic
def send_reminders(today: dt.date | None = None) -> int:
    """Sends today's follow-up and month-end reminders; returns how many
    notices were created (repeats are skipped by their key)."""
    today = today or timezone.localdate()
    reminders = due_reminders(today)
    people = User.objects.in_bulk({r.user_id for r in reminders})
    sent = 0
    for r in reminders:
        user = people.get(r.user_id)
        if user is None or not user.is_active:
            continue
        sent += len(notify([user], title=r.title, body=r.body, url=r.url, dedup_key=r.dedup_key))
    return sent
