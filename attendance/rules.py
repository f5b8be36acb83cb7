"""Pure attendance arithmetic: lateness, half-day leave, balances, samples.

Nothing here touches the database, so each rule is tested on its own and the
services, selectors and demo data share one definition of it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, Decimal

# an 8-hour day; time beyond it is voluntary overtime.
WORKDAY_HOURS = Decimal(8)
HALF = Decimal("0.5")
ONE = Decimal(1)
ZERO = Decimal(0)

AM = "am"
PM = "pm"


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def minutes_late(arrived_at: dt.time | None, work_start: dt.time) -> int:
    """Minutes after the outlet's start of work (R-2.3); 0 when on time."""
    if arrived_at is None:
        return 0
    return max(0, _minutes(arrived_at) - _minutes(work_start))


def minutes_early(left_at: dt.time | None, work_end: dt.time) -> int:
    """Minutes before the outlet's end of work (R-2.3); 0 when not early."""
    if left_at is None:
        return 0
    return max(0, _minutes(work_end) - _minutes(left_at))


def leave_portions(
    start: dt.date, start_half: str, end: dt.date, end_half: str, working: Iterable[dt.date]
) -> dict[dt.date, tuple[Decimal, str]]:
    """How much of each working day a leave takes, and which half.

    ``start_half`` is the half the leave starts in (AM: from the morning, PM:
    from the afternoon); ``end_half`` the half it ends in (AM: ends at noon,
    PM: ends at the end of the day). Returns ``{day: (portion, off)}`` where
    ``off`` is "" for a full day, AM when the morning is off and PM when the
    afternoon is off.
    """
    out: dict[dt.date, tuple[Decimal, str]] = {}
    for day in working:
        if not start <= day <= end:
            continue
        morning = not (day == start and start_half == PM)
        afternoon = not (day == end and end_half == AM)
        if morning and afternoon:
            out[day] = (ONE, "")
        elif morning:
            out[day] = (HALF, AM)
        elif afternoon:
            out[day] = (HALF, PM)
    return out


def half_slots(start: dt.date, start_half: str, end: dt.date, end_half: str) -> tuple[int, int]:
    """The leave as an inclusive range of half-day slots, for overlap tests."""
    first = start.toordinal() * 2 + (1 if start_half == PM else 0)
    last = end.toordinal() * 2 + (0 if end_half == AM else 1)
    return first, last


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def years_of_service(hired_on: dt.date | None, on: dt.date) -> int:
    """Complete years from ``hired_on`` to ``on``."""
    if hired_on is None or hired_on > on:
        return 0
    years = on.year - hired_on.year
    if (on.month, on.day) < (hired_on.month, hired_on.day):
        years -= 1
    return years


def annual_entitlement(years: int, tiers: Sequence[tuple[int, Decimal]]) -> Decimal:
    """Statutory annual leave (带薪年休假) for ``years`` of service; ``tiers``
    are (from years, days) rows, e.g. (1, 5), (10, 10), (20, 15)."""
    days = ZERO
    for from_years, tier_days in sorted(tiers):
        if years >= from_years:
            days = Decimal(tier_days)
    return days


def overtime_days(hours: Decimal) -> Decimal:
    """调休 earned by overtime: whole half days of 8-hour days, rounded down."""
    if hours <= 0:
        return ZERO
    halves = (Decimal(hours) / (WORKDAY_HOURS / 2)).to_integral_value(rounding=ROUND_FLOOR)
    return halves * HALF


def draw_sample(population: Sequence[int], *, seed: int, size: int) -> list[int]:
    """A reproducible random sample (抽查): the same ids and seed always give
    the same sample, whatever order the ids come in."""
    ids = sorted(set(population))
    if size >= len(ids):
        return ids
    return sorted(random.Random(seed).sample(ids, size))  # noqa: S311 -- audit sample, not crypto


def default_sample_size(population: int) -> int:
    """One slip in five, at least one (a leader may choose another size)."""
    if population <= 0:
        return 0
    return max(1, math.ceil(population * 0.2))


def days_text(value) -> str:
    """A number of days as people write it: 2, 0.5, 10 (not 2.0 or 1E+1)."""
    return f"{Decimal(value).normalize():f}"
