"""The working calendar (R-2.9): statutory holidays and swapped working days.

A weekday is a working day unless it is a holiday; a weekend day is a rest
day unless it is a swapped working day (调休上班). Days of a year whose
official schedule has not been entered are plain weekdays/weekends and are
reported as provisional.
"""

from __future__ import annotations

import datetime as dt

from staff.models import CalendarDay, CalendarYear


def _plain_working(day: dt.date) -> bool:
    return day.weekday() < 5


def is_working_day(day: dt.date) -> bool:
    special = CalendarDay.objects.filter(date=day).values_list("kind", flat=True).first()
    if special == CalendarDay.Kind.HOLIDAY:
        return False
    if special == CalendarDay.Kind.WORKDAY:
        return True
    return _plain_working(day)


def is_provisional(day: dt.date) -> bool:
    """True when the day's year has no official schedule yet."""
    return not CalendarYear.objects.filter(year=day.year).exists()


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days from ``start`` to ``end`` inclusive, in one query."""
    specials = dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
    )
    days = []
    day = start
    while day <= end:
        kind = specials.get(day)
        if kind == CalendarDay.Kind.WORKDAY or (
            kind != CalendarDay.Kind.HOLIDAY and _plain_working(day)
        ):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def month_calendar(year: int, month: int) -> list[dict]:
    """Every day of a month with its kind, for calendar pages."""
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    specials = {d.date: d for d in CalendarDay.objects.filter(date__gte=start, date__lte=end)}
    provisional = not CalendarYear.objects.filter(year=year).exists()
    working = set(working_days(start, end))
    out = []
    day = start
    while day <= end:
        special = specials.get(day)
        out.append(
            {
                "date": day,
                "working": day in working,
                "name": special.name if special else "",
                "kind": special.kind if special else "",
                "provisional": provisional,
            }
        )
        day += dt.timedelta(days=1)
    return out


HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
