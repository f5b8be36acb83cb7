"""Which required meetings were held (R-3.3): slots per team and period,
the team calendar of a month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from meetings import rules
from meetings.models import Meeting, MeetingKind
from meetings.selectors.records import teams_in_scope
from staff import calendar
from staff.models import Team

# -- compliance (R-3.3) ----------------------------------------------------------------


class Slot:
    HELD = "held"
    MISSED = "missed"
    DUE = "due"
    UPCOMING = "upcoming"

    LABELS = {HELD: "已开", MISSED: "未开", DUE: "待开", UPCOMING: "未到期"}


@dataclass
class SlotState:
    kind: str
    start: dt.date
    end: dt.date
    status: str
    meeting_id: int | None = None

    @property
    def label(self) -> str:
        return Slot.LABELS[self.status]


@dataclass
class TeamCompliance:
    team: Team
    morning: list[SlotState] = field(default_factory=list)
    weekly: list[SlotState] = field(default_factory=list)
    monthly: list[SlotState] = field(default_factory=list)

    def _count(self, slots: list[SlotState], status: str) -> int:
        return sum(1 for s in slots if s.status == status)

    def summary(self, kind: str) -> dict:
        slots = getattr(self, kind)
        held = self._count(slots, Slot.HELD)
        missed = self._count(slots, Slot.MISSED)
        return {
            "required": len(slots),
            "past": held + missed,
            "held": held,
            "missed": missed,
            "due": self._count(slots, Slot.DUE),
            "upcoming": self._count(slots, Slot.UPCOMING),
            "rate": round(100 * held / (held + missed)) if held + missed else None,
            "missed_slots": [s for s in slots if s.status == Slot.MISSED],
        }

    @property
    def morning_summary(self) -> dict:
        return self.summary("morning")

    @property
    def weekly_summary(self) -> dict:
        return self.summary("weekly")

    @property
    def monthly_summary(self) -> dict:
        return self.summary("monthly")

    @property
    def missed_total(self) -> int:
        return sum(self._count(getattr(self, k), Slot.MISSED) for k in MeetingKind.values)


def _window(team: Team) -> tuple[dt.date | None, dt.date | None] | None:
    """The days a team must meet: from its founding to its dissolution
    (half-open). A team still being set up holds no required meetings."""
    if team.status == Team.Status.PREPARING:
        return None
    return team.founded_on, team.dissolved_on


def _in_window(day: dt.date, window) -> bool:
    start, end = window
    return (start is None or start <= day) and (end is None or day < end)


def _state(status_held: int | None, start, end, deadline, today) -> tuple[str, int | None]:
    if status_held:
        return Slot.HELD, status_held
    if today > deadline:
        return Slot.MISSED, None
    if today >= start:
        return Slot.DUE, None
    return Slot.UPCOMING, None


def compliance(
    teams, start: dt.date, end: dt.date, *, today: dt.date, kinds=None
) -> list[TeamCompliance]:
    """Every required meeting of each team in ``start``…``end`` and whether it
    was held (R-3.3).

    Morning meetings: each working day of the official calendar (holidays
    off, 调休 Saturdays on) for teams of kind 营业部团队 (R-3.2). Weekly
    meetings: each Monday–Sunday week with at least one working day.
    Monthly summary meetings: each month, held by the tenth of the next.
    Only days when the team was active count. Two queries whatever the
    number of teams (the calendar and the meetings)."""
    teams = list(teams)
    kinds = tuple(kinds or MeetingKind.values)
    weeks = rules.weeks_between(start, end)
    months = rules.months_between(start, end)
    span_start = min([start, months[0], *weeks[:1]])
    span_end = max(
        [end, rules.month_end(months[-1]), *(w + dt.timedelta(days=6) for w in weeks[-1:])]
    )
    working = calendar.working_days(span_start, span_end)
    held: dict[tuple[int, str, dt.date], int] = {}
    if teams:
        rows = Meeting.objects.filter(
            team__in=teams, kind__in=kinds, period_start__gte=span_start, period_start__lte=end
        ).values_list("team_id", "kind", "period_start", "pk")
        held = {(t, k, p): pk for t, k, p, pk in rows}
    out = []
    for team in teams:
        result = TeamCompliance(team=team)
        window = _window(team)
        out.append(result)
        if window is None:
            continue
        active = [d for d in working if _in_window(d, window)]
        if MeetingKind.MORNING in kinds and team.holds_morning_meetings:
            for day in active:
                if start <= day <= end:
                    status, pk = _state(
                        held.get((team.pk, MeetingKind.MORNING, day)), day, day, day, today
                    )
                    result.morning.append(SlotState(MeetingKind.MORNING, day, day, status, pk))
        if MeetingKind.WEEKLY in kinds:
            for monday in weeks:
                sunday = monday + dt.timedelta(days=6)
                if not any(monday <= d <= sunday for d in active):
                    continue  # a week of holidays needs no weekly meeting
                status, pk = _state(
                    held.get((team.pk, MeetingKind.WEEKLY, monday)), monday, sunday, sunday, today
                )
                result.weekly.append(SlotState(MeetingKind.WEEKLY, monday, sunday, status, pk))
        if MeetingKind.MONTHLY in kinds:
            for first in months:
                last = rules.month_end(first)
                if not any(first <= d <= last for d in active):
                    continue
                status, pk = _state(
                    held.get((team.pk, MeetingKind.MONTHLY, first)),
                    first,
                    last,
                    rules.deadline(MeetingKind.MONTHLY, first),
                    today,
                )
                result.monthly.append(SlotState(MeetingKind.MONTHLY, first, last, status, pk))
    return out


def compliance_teams(user, *, branch=None) -> QuerySet[Team]:
    """Teams whose compliance the user may see: those that hold required
    meetings (not still being set up)."""
    teams = teams_in_scope(user).exclude(status=Team.Status.PREPARING)
    if branch is not None:
        teams = teams.filter(branch=branch)
    return teams.order_by("branch__code", "code")


def team_month(team: Team, year: int, month: int, *, today: dt.date) -> dict:
    """A team's month as a calendar grid: each day with its morning meeting,
    each row (week) with its weekly meeting, and the month's summary
    meeting. The grid's first and last rows show their weeks even where
    they are counted in the neighbouring month; the summary counts only
    this month's. Five queries."""
    days = calendar.month_calendar(year, month)
    first, last = days[0]["date"], days[-1]["date"]
    grid_start = rules.week_start(first)
    grid_end = rules.week_start(last) + dt.timedelta(days=6)
    shown = compliance([team], grid_start, grid_end, today=today)[0]
    morning = {s.start: s for s in shown.morning}
    weekly = {s.start: s for s in shown.weekly}
    mondays = set(rules.weeks_between(first, last))
    result = TeamCompliance(
        team=team,
        morning=[s for s in shown.morning if first <= s.start <= last],
        weekly=[s for s in shown.weekly if s.start in mondays],
        monthly=[s for s in shown.monthly if s.start == first],
    )
    for day in days:
        day["slot"] = morning.get(day["date"])
    rows = []
    cells: list = [None] * first.weekday()
    for day in days:
        cells.append(day)
        if len(cells) == 7:
            rows.append(cells)
            cells = []
    if cells:
        rows.append(cells + [None] * (7 - len(cells)))
    weeks = []
    for cells in rows:
        monday = rules.week_start(next(c for c in cells if c)["date"])
        weeks.append({"days": cells, "slot": weekly.get(monday), "counted": monday in mondays})
    return {
        "weeks": weeks,
        "result": result,
        "monthly": result.monthly[0] if result.monthly else None,
        "provisional": days[0]["provisional"],
    }
