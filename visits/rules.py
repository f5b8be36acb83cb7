"""The chapter's rules as plain functions and tables, without the database."""

from __future__ import annotations

import datetime as dt
import math

from visits.models.choices import FollowUpStatus as S

# 督办 state machine. The main road is open → forwarded → handling →
# resolved → informed → closed; a problem may be taken up directly without
# forwarding, and a "resolved" one the client disputes goes back to handling.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.OPEN: (S.FORWARDED, S.HANDLING),
    S.FORWARDED: (S.HANDLING,),
    S.HANDLING: (S.RESOLVED,),
    S.RESOLVED: (S.INFORMED, S.HANDLING),
    S.INFORMED: (S.CLOSED,),
    S.CLOSED: (),
}

# What the button for each move says.
ACTION_LABELS = {
    S.FORWARDED: "转办",
    S.HANDLING: "开始处理",
    S.RESOLVED: "登记处理结果",
    S.INFORMED: "登记已告知客户",
    S.CLOSED: "办结",
}

# Month-end submission opens on this day of the month (the month may also be
# submitted any time after it has ended).
SUBMIT_FROM_DAY = 25

# Resolved follow-ups not yet told to the client are chased after this many days.
INFORM_REMINDER_DAYS = 3
# The leader is told once a follow-up is this many days overdue.
LEADER_OVERDUE_DAYS = 7


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, ())


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def may_submit_month(month: dt.date, today: dt.date) -> bool:
    """A month's logs go in at month end: from the 25th, or any time later."""
    month = month_start(month)
    current = month_start(today)
    return month < current or (month == current and today.day >= SUBMIT_FROM_DAY)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1–4")
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return start, month_end(dt.date(year, 3 * quarter, 1))


def required_visits(interval_days: int, start: dt.date, end: dt.date) -> int:
    """How many visits a tier's interval asks for over a period: one per full
    interval, and at least one (a 91-day quarter: 30 days → 3, 60 → 1, 90 → 1)."""
    days = (end - start).days + 1
    return max(1, days // max(1, interval_days))


def rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def average(values: list[int]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "—"


def ceil_div(a: int, b: int) -> int:
    return math.ceil(a / b)
