"""The meeting rules of the rulebook (第九–十条, R-3.1–R-3.3) as plain
functions: which period a meeting belongs to, when a period's meeting is due,
and how long minutes stay editable. No database access here."""

from __future__ import annotations

import datetime as dt

# Minutes can be changed for this many days after the meeting (the day of
# the meeting plus seven); afterwards only action-item status moves.
EDIT_DAYS = 7
# A monthly summary meeting may also be held in the first days of the
# following month (a summary is usually held once the month is over).
MONTHLY_GRACE_DAYS = 10


class Kind:
    MORNING = "morning"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


def week_start(day: dt.date) -> dt.date:
    """Monday of the day's week (weeks run Monday–Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def previous_month(day: dt.date) -> dt.date:
    return month_start(month_start(day) - dt.timedelta(days=1))


def period_end(kind: str, start: dt.date) -> dt.date:
    """The last day of the period starting at ``start``."""
    if kind == Kind.MORNING:
        return start
    if kind == Kind.WEEKLY:
        return start + dt.timedelta(days=6)
    return month_end(start)


def deadline(kind: str, start: dt.date) -> dt.date:
    """The last day on which the period's meeting may still be held."""
    end = period_end(kind, start)
    if kind == Kind.MONTHLY:
        return end + dt.timedelta(days=MONTHLY_GRACE_DAYS)
    return end


def period_of(kind: str, day: dt.date, month: dt.date | None = None) -> dt.date:
    """The period a meeting held on ``day`` counts for.

    A morning meeting counts for its day and a weekly meeting for its week.
    A monthly summary meeting counts for the month it sums up: ``month``
    when given (its own month or, within the grace days, the month before),
    otherwise the previous month during the grace days and its own month
    after them."""
    if kind == Kind.MORNING:
        return day
    if kind == Kind.WEEKLY:
        return week_start(day)
    if month is not None:
        return month_start(month)
    return default_summary_month(day)


def default_summary_month(day: dt.date) -> dt.date:
    if day.day <= MONTHLY_GRACE_DAYS:
        return previous_month(day)
    return month_start(day)


def summary_months(day: dt.date) -> list[dt.date]:
    """The months a monthly meeting held on ``day`` may sum up."""
    months = [month_start(day)]
    if day.day <= MONTHLY_GRACE_DAYS:
        months.insert(0, previous_month(day))
    return months


def editable_until(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=EDIT_DAYS)


def is_editable(day: dt.date, today: dt.date) -> bool:
    """Minutes are read-only after seven days (R-3.3)."""
    return today <= editable_until(day)


def weeks_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Mondays of the weeks counted in ``start``…``end``: a week counts where
    its Thursday falls (as ISO weeks do), so a week spanning two months is
    counted in exactly one of them."""
    monday = week_start(start)
    out = []
    while monday <= end:
        if start <= monday + dt.timedelta(days=3) <= end:
            out.append(monday)
        monday += dt.timedelta(days=7)
    return out


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    month = month_start(start)
    while month <= end:
        out.append(month)
        month = month_start(month_end(month) + dt.timedelta(days=1))
    return out
