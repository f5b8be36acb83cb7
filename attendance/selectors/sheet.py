"""The monthly sheet and the month's figures per person (read by payroll)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from attendance.models import (
    AttendanceDay,
    AttendanceDispute,
    AttendanceRecord,
    EventAttendance,
    LeaveKind,
    LeaveRequest,
)
from attendance.selectors.roll import slips_between
from attendance.selectors.scope import (
    posting_scope_q,
    visibility_q,
)
from staff import calendar
from staff.models import CalendarYear, Posting, Team, User


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return start, end


@dataclass
class MonthFigures:
    """One person's attendance figures for a month (R-2.2 … R-2.8).

    ``working_days`` are the official working days (R-2.9) on which he was
    posted (to the team, for a team sheet); ``provisional_days`` how many of
    them fall in a year whose official schedule is not yet entered."""

    person: User
    working_days: int = 0
    provisional_days: int = 0
    recorded_days: int = 0
    present_days: Decimal = Decimal(0)
    late_count: int = 0
    late_minutes: int = 0
    early_count: int = 0
    early_minutes: int = 0
    absent_days: Decimal = Decimal(0)
    left_post_count: int = 0
    leave_days: dict[str, Decimal] = field(default_factory=dict)
    outing_days: int = 0
    overtime_hours: Decimal = Decimal(0)
    event_absences: int = 0
    elapsed_days: int = 0  # working days already past

    @property
    def leave_total(self) -> Decimal:
        return sum(self.leave_days.values(), Decimal(0))

    @property
    def unrecorded_days(self) -> int:
        """Past working days with no record (today and later are not due yet)."""
        return max(0, self.elapsed_days - self.recorded_days)

    def leave_of(self, kind: str) -> Decimal:
        return self.leave_days.get(kind, Decimal(0))

    @property
    def leave_columns(self) -> list[Decimal]:
        """Leave days in the order of LeaveKind, for table columns."""
        return [self.leave_of(kind) for kind in LeaveKind.values]


SUMMED = (
    "working_days",
    "provisional_days",
    "recorded_days",
    "present_days",
    "late_count",
    "late_minutes",
    "early_count",
    "early_minutes",
    "absent_days",
    "left_post_count",
    "outing_days",
    "overtime_hours",
    "event_absences",
)


def month_figures(
    year: int,
    month: int,
    *,
    team: Team | None = None,
    people=None,
    viewer=None,
) -> list[MonthFigures]:
    """The month's attendance figures per person, for the monthly sheet and payroll.

    Give ``team`` for a team's sheet (its members that month, counting only
    the days they were in it) or ``people`` (users or ids) for whole-month
    figures wherever they were. With ``viewer`` the rows are limited to
    people whose attendance he may see. Seven queries whatever the size.
    """
    start, end = month_bounds(year, month)
    postings = Posting.objects.filter(valid_from__lte=end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=start)
    )
    if team is not None:
        postings = postings.filter(team=team)
    if people is not None:
        ids = [getattr(p, "pk", p) for p in people]
        postings = postings.filter(user_id__in=ids)
    if viewer is not None:
        postings = postings.filter(posting_scope_q(viewer))
    postings = list(postings.select_related("user").order_by("user__employee_no", "valid_from"))
    by_person: dict[int, MonthFigures] = {}
    spans: dict[int, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for posting in postings:
        by_person.setdefault(posting.user_id, MonthFigures(person=posting.user))
        spans[posting.user_id].append((posting.valid_from, posting.valid_to))
    if not by_person:
        return []
    working = calendar.working_days(start, end)
    provisional = not CalendarYear.objects.filter(year=year).exists()
    today = timezone.localdate()
    for pid, figures in by_person.items():
        days = [d for d in working if any(a <= d and (b is None or d < b) for a, b in spans[pid])]
        figures.working_days = len(days)
        figures.elapsed_days = sum(1 for d in days if d < today)
        figures.provisional_days = len(days) if provisional else 0

    records = AttendanceRecord.objects.filter(person_id__in=by_person, date__range=(start, end))
    if team is not None:
        records = records.filter(team=team)
    totals = records.values("person_id").annotate(
        recorded=Count("id"),
        present=Sum("present_days"),
        late_count=Count("id", filter=Q(late_minutes__gt=0)),
        late_minutes=Sum("late_minutes"),
        early_count=Count("id", filter=Q(early_minutes__gt=0)),
        early_minutes=Sum("early_minutes"),
        absent=Sum("absent_days"),
        left_post=Count("id", filter=Q(left_post=True)),
        outing=Count("id", filter=Q(outing_slip__isnull=False)),
        overtime=Sum("overtime_hours"),
    )
    for row in totals:
        f = by_person[row["person_id"]]
        f.recorded_days = row["recorded"]
        f.present_days = row["present"] or Decimal(0)
        f.late_count = row["late_count"]
        f.late_minutes = row["late_minutes"] or 0
        f.early_count = row["early_count"]
        f.early_minutes = row["early_minutes"] or 0
        f.absent_days = row["absent"] or Decimal(0)
        f.left_post_count = row["left_post"]
        f.outing_days = row["outing"]
        f.overtime_hours = row["overtime"] or Decimal(0)
    leave_rows = (
        records.filter(leave_days__gt=0)
        .values("person_id", "leave_kind")
        .annotate(days=Sum("leave_days"))
        .order_by()
    )
    for row in leave_rows:
        by_person[row["person_id"]].leave_days[row["leave_kind"]] = row["days"]
    absences = EventAttendance.objects.filter(
        person_id__in=by_person,
        status=EventAttendance.Status.ABSENT,
        event__date__range=(start, end),
    )
    if team is not None:
        absences = absences.filter(event__team=team)
    for row in absences.values("person_id").annotate(n=Count("id")).order_by():
        by_person[row["person_id"]].event_absences = row["n"]
    return list(by_person.values())


def sheet_totals(rows: list[MonthFigures]) -> dict:
    totals: dict = {name: sum((getattr(r, name) for r in rows), 0) for name in SUMMED}
    totals["leave_days"] = {
        kind: sum((r.leave_of(kind) for r in rows), Decimal(0)) for kind in LeaveKind.values
    }
    totals["leave_columns"] = [totals["leave_days"][kind] for kind in LeaveKind.values]
    totals["leave_total"] = sum(totals["leave_days"].values(), Decimal(0))
    totals["unrecorded_days"] = sum(r.unrecorded_days for r in rows)
    return totals


def person_month(person: User, year: int, month: int, *, viewer=None) -> dict:
    """One person's month as a calendar (his records over the official
    days); with ``viewer``, only the records he may see."""
    start, end = month_bounds(year, month)
    days = calendar.month_calendar(year, month)
    records = AttendanceRecord.objects.filter(person=person, date__range=(start, end))
    if viewer is not None:
        records = records.filter(visibility_q(viewer, AttendanceRecord))
    records = {
        r.date: r
        for r in records.select_related("leave", "outing_slip", "team").annotate(
            open_dispute=Exists(
                AttendanceDispute.objects.filter(
                    record=OuterRef("pk"), status=AttendanceDispute.Status.OPEN
                )
            )
        )
    }
    leaves = list(
        LeaveRequest.objects.filter(
            person=person,
            status__in=LeaveRequest.ACTIVE_STATES,
            start_date__lte=end,
            end_date__gte=start,
        )
    )
    slips = list(slips_between([person.pk], start, end))
    for day in days:
        d = day["date"]
        day["record"] = records.get(d)
        day["leaves"] = [lv for lv in leaves if lv.start_date <= d <= lv.end_date]
        day["slips"] = [
            s for s in slips if _local_date(s.planned_out) <= d <= _local_date(s.planned_back)
        ]
    lead = days[0]["date"].weekday()
    weeks: list[list[dict | None]] = []
    week: list[dict | None] = [None] * lead
    for day in days:
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return {"days": days, "weeks": weeks, "provisional": days[0]["provisional"]}


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()


def branch_month_summary(branch_ids, start: dt.date, end: dt.date) -> list[dict]:
    """Each active team of the branches over ``start``…``end``: days the roll
    was kept against the working days due, attendance rate, lates, absences
    and leave. Three queries whatever the number of teams or records."""
    teams = list(
        Team.objects.filter(branch_id__in=list(branch_ids), status=Team.Status.ACTIVE)
        .select_related("branch")
        .order_by("branch__code", "code")
    )
    today = timezone.localdate()
    due = [d for d in calendar.working_days(start, end) if d <= today]
    kept = dict(
        AttendanceDay.objects.filter(team__in=teams, date__range=(start, end))
        .values("team_id")
        .annotate(n=Count("id"))
        .values_list("team_id", "n")
    )
    totals = {
        row["team_id"]: row
        for row in AttendanceRecord.objects.filter(team__in=teams, date__range=(start, end))
        .values("team_id")
        .annotate(
            recorded=Count("id"),
            present=Sum("present_days"),
            absent=Sum("absent_days"),
            late=Count("id", filter=Q(late_minutes__gt=0)),
            leave=Sum("leave_days"),
        )
        .order_by()
    }
    out = []
    for team in teams:
        row = totals.get(team.pk, {})
        recorded = row.get("recorded", 0)
        present = row.get("present") or Decimal(0)
        leave = row.get("leave") or Decimal(0)
        expected = recorded - leave  # days a member was due at work
        out.append(
            {
                "team": team,
                "due_days": len(due),
                "kept_days": kept.get(team.pk, 0),
                "rate": int(present / expected * 100) if expected > 0 else None,
                "late": row.get("late", 0),
                "absent": row.get("absent") or Decimal(0),
                "leave": leave,
            }
        )
    return out
