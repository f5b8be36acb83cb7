"""Reads of the attendance chapter, shared by views, exports and other apps.

Other chapters read attendance only through this module; payroll reads the
month's figures with :func:`month_figures`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from approvals.selectors import subject_ids_routed_to
from attendance import rules
from attendance.models import (
    AnnualLeaveTier,
    AttendanceDay,
    AttendanceDispute,
    AttendanceRecord,
    CheckRound,
    EventAttendance,
    LeaveKind,
    LeavePolicy,
    LeaveRequest,
    OutingCheck,
    OutingSlip,
    Patrol,
    TeamEvent,
)
from staff import calendar
from staff.access import scope_for
from staff.models import CalendarYear, Outlet, Posting, Role, Team, User, in_force_q

# Who keeps a team's roll: its 考勤员, and its leader (who also covers a
# vacancy of the recorder).
ROLL_ROLES = (Role.TEAM_LEADER, Role.ATTENDANCE_RECORDER)
DEFAULT_START = Outlet._meta.get_field("work_start").default
DEFAULT_END = Outlet._meta.get_field("work_end").default


# -- scope ---------------------------------------------------------------------


def visibility_q(user, model) -> Q:
    """Each attendance record as far as the user may see it (R-8.1).

    The person always sees his own; the team's leader and recorder their
    team; group leaders their group; regional managers their outlets; the
    branch's management and finance their branch. Attendance is branch
    business: HQ oversight does not see it."""
    scope = scope_for(user)
    if scope.superuser:
        return Q()
    if model is AttendanceRecord:
        return scope.stamped_q(person="person", team_roles=ROLL_ROLES)
    if model is AttendanceDay:
        return scope.stamped_q(group=None, outlet=None, team_roles=ROLL_ROLES)
    if model is AttendanceDispute:
        return scope.stamped_q(person="person", group=None, outlet=None, team_roles=ROLL_ROLES)
    if model is LeaveRequest:
        q = scope.stamped_q(person="person", team_roles=ROLL_ROLES) | Q(deputy_id=user.pk)
        routed = subject_ids_routed_to(user, LeaveRequest)
        if routed:
            q |= Q(pk__in=routed)
        return q
    if model is OutingSlip:
        return scope.stamped_q(person="person", team_roles=ROLL_ROLES)
    if model is CheckRound:
        return scope.stamped_q(group=None, outlet=None)
    if model is Patrol:
        return scope.stamped_q(person="patrolled_by", group=None)
    if model is TeamEvent:
        q = scope.stamped_q(group=None, outlet=None, team_roles=ROLL_ROLES)
        if user.team_id:
            q |= Q(team_id=user.team_id)
        return q | Q(pk__in=EventAttendance.objects.filter(person=user).values("event_id"))
    raise TypeError(f"no attendance scope for {model!r}")


def posting_scope_q(user) -> Q:
    """People (through their dated postings) whose attendance the user may see."""
    return scope_for(user).stamped_q(person="user", team_roles=ROLL_ROLES)


def attendance_person(user, pk: int) -> User:
    """A person whose attendance the user may see (himself, or through a
    posting in his scope); anyone else is a 404."""
    people = User.objects.filter(
        Q(pk=user.pk) | Q(pk__in=Posting.objects.filter(posting_scope_q(user)).values("user_id"))
    )
    return get_object_or_404(people.select_related("team", "outlet"), pk=pk)


def roll_teams(user) -> QuerySet[Team]:
    """Teams whose roll the user keeps: as 考勤员 or leader (a recorder
    records only his own team)."""
    scope = scope_for(user)
    teams = Team.objects.exclude(status=Team.Status.DISSOLVED).select_related("branch")
    if scope.superuser:
        return teams
    return teams.filter(pk__in=scope.ids(*ROLL_ROLES))


def sheet_teams(user) -> QuerySet[Team]:
    """Teams the user may open a monthly sheet of (rows still follow his scope)."""
    scope = scope_for(user)
    teams = Team.objects.select_related("branch").order_by("branch__code", "code")
    if scope.superuser:
        return teams
    from staff.access import BRANCH_ROLES

    q = Q(pk__in=scope.ids(*ROLL_ROLES, Role.REGIONAL_MANAGER)) | Q(
        branch_id__in=scope.ids(*BRANCH_ROLES)
    )
    if scope.has(Role.GROUP_LEADER):
        q |= Q(pk__in=scope.group_teams)
    return teams.filter(q)


# -- the daily roll ------------------------------------------------------------


@dataclass
class RollRow:
    person: User
    posting: Posting
    work_start: dt.time
    work_end: dt.time
    leave: LeaveRequest | None = None
    leave_portion: Decimal = Decimal(0)
    leave_off: str = ""
    slip: OutingSlip | None = None
    record: AttendanceRecord | None = None
    foreign: bool = False  # recorded by another team (moved that day)

    @property
    def full_leave(self) -> bool:
        return self.leave is not None and self.leave_portion >= 1


def roll_members(team: Team, day: dt.date) -> list[Posting]:
    """Everyone posted to the team on the day (R-2.1), with his outlet."""
    return list(
        Posting.objects.filter(in_force_q(day), team=team)
        .select_related("user", "outlet", "group")
        .order_by("user__employee_no")
    )


def approved_leaves(person_ids, start: dt.date, end: dt.date) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.filter(
        person_id__in=person_ids,
        status=LeaveRequest.Status.APPROVED,
        start_date__lte=end,
        end_date__gte=start,
    ).order_by("start_date", "id")


def slips_between(person_ids, start: dt.date, end: dt.date) -> QuerySet[OutingSlip]:
    return OutingSlip.objects.filter(
        person_id__in=person_ids, planned_out__date__lte=end, planned_back__date__gte=start
    ).order_by("planned_out", "id")


def leave_on(leave: LeaveRequest, day: dt.date) -> tuple[Decimal, str]:
    portion = rules.leave_portions(
        leave.start_date, leave.start_half, leave.end_date, leave.end_half, [day]
    )
    return portion.get(day, (Decimal(0), ""))


def roll_rows(team: Team, day: dt.date) -> list[RollRow]:
    """The roll screen: every member, with approved leave and filed slips
    filled in and his saved record if any. Five queries whatever the size."""
    postings = roll_members(team, day)
    ids = [p.user_id for p in postings]
    leaves = {lv.person_id: lv for lv in approved_leaves(ids, day, day)}
    slips: dict[int, OutingSlip] = {}
    for slip in slips_between(ids, day, day):
        slips.setdefault(slip.person_id, slip)
    records = {
        r.person_id: r
        for r in AttendanceRecord.objects.filter(person_id__in=ids, date=day)
        .select_related("leave", "outing_slip")
        .annotate(
            open_dispute=Exists(
                AttendanceDispute.objects.filter(
                    record=OuterRef("pk"), status=AttendanceDispute.Status.OPEN
                )
            )
        )
    }
    rows = []
    for posting in postings:
        outlet = posting.outlet
        row = RollRow(
            person=posting.user,
            posting=posting,
            work_start=outlet.work_start if outlet else DEFAULT_START,
            work_end=outlet.work_end if outlet else DEFAULT_END,
            slip=slips.get(posting.user_id),
            record=records.get(posting.user_id),
        )
        leave = leaves.get(posting.user_id)
        if leave is not None:
            row.leave_portion, row.leave_off = leave_on(leave, day)
            row.leave = leave if row.leave_portion else None
        if row.record is not None and row.record.team_id != team.pk:
            row.foreign = True
        rows.append(row)
    return rows


def roll_day(team: Team, day: dt.date) -> AttendanceDay | None:
    return AttendanceDay.objects.filter(team=team, date=day).select_related("recorded_by").first()


def roll_corrections(team: Team, day: dt.date) -> list:
    """Every change made to the day's records after they were first saved."""
    return list(
        AttendanceRecord.history.filter(team_id=team.pk, date=day, history_type="~")
        .select_related("history_user", "person")
        .order_by("-history_date")[:200]
    )


def records_for(user) -> QuerySet[AttendanceRecord]:
    return AttendanceRecord.objects.visible_to(user).select_related(
        "person", "team", "leave", "outing_slip", "updated_by"
    )


def record_detail(user, pk: int) -> AttendanceRecord:
    return get_object_or_404(records_for(user), pk=pk)


def disputes_for(user) -> QuerySet[AttendanceDispute]:
    return AttendanceDispute.objects.visible_to(user).select_related(
        "person", "team", "record", "resolved_by"
    )


def open_disputes_to_resolve(user) -> QuerySet[AttendanceDispute]:
    scope = scope_for(user)
    qs = AttendanceDispute.objects.filter(status=AttendanceDispute.Status.OPEN).exclude(person=user)
    if not scope.superuser:
        qs = qs.filter(team_id__in=scope.ids(*ROLL_ROLES))
    return qs


# -- the monthly sheet -----------------------------------------------------------


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


# -- leave -------------------------------------------------------------------------


def leaves_for(user) -> QuerySet[LeaveRequest]:
    return LeaveRequest.objects.visible_to(user).select_related("person", "team", "deputy")


def leave_detail(user, pk: int) -> LeaveRequest:
    return get_object_or_404(leaves_for(user), pk=pk)


def annual_tiers() -> list[tuple[int, Decimal]]:
    return list(AnnualLeaveTier.objects.values_list("from_years", "days"))


def policies() -> dict[str, LeavePolicy]:
    return {p.kind: p for p in LeavePolicy.objects.all()}


@dataclass
class Balance:
    kind: str
    label: str
    entitled: Decimal | None
    used: Decimal
    pending: Decimal
    note: str = ""

    @property
    def remaining(self) -> Decimal | None:
        if self.entitled is None:
            return None
        return self.entitled - self.used - self.pending


def annual_entitled(person: User, year: int) -> Decimal:
    """Statutory annual leave by complete years of service on 1 January."""
    years = rules.years_of_service(person.hired_on, dt.date(year, 1, 1))
    return rules.annual_entitlement(years, annual_tiers())


def compensatory_earned(person: User) -> Decimal:
    """调休 earned: recorded overtime hours, in half days of 8-hour days (R-2.4)."""
    hours = AttendanceRecord.objects.filter(person=person).aggregate(h=Sum("overtime_hours"))["h"]
    return rules.overtime_days(hours or Decimal(0))


def leave_balances(person: User, year: int) -> list[Balance]:
    """Each leave type: entitlement (where there is one), used and pending."""
    active = LeaveRequest.objects.filter(person=person, status__in=LeaveRequest.ACTIVE_STATES)
    by_year = (
        active.filter(start_date__year=year)
        .values("kind", "status")
        .annotate(days=Sum("days"))
        .order_by()
    )
    used: dict[str, Decimal] = defaultdict(Decimal)
    pending: dict[str, Decimal] = defaultdict(Decimal)
    for row in by_year:
        target = used if row["status"] == LeaveRequest.Status.APPROVED else pending
        target[row["kind"]] += row["days"]
    comp = (
        active.filter(kind=LeaveKind.COMPENSATORY)
        .values("status")
        .annotate(days=Sum("days"))
        .order_by()
    )
    comp_used = sum(
        (r["days"] for r in comp if r["status"] == LeaveRequest.Status.APPROVED), Decimal(0)
    )
    comp_pending = sum(
        (r["days"] for r in comp if r["status"] == LeaveRequest.Status.PENDING), Decimal(0)
    )
    limits = policies()
    out = []
    for kind, label in LeaveKind.choices:
        if kind == LeaveKind.ANNUAL:
            out.append(
                Balance(
                    kind,
                    label,
                    annual_entitled(person, year),
                    used[kind],
                    pending[kind],
                    "按截至 1 月 1 日的连续工龄",
                )
            )
        elif kind == LeaveKind.COMPENSATORY:
            out.append(
                Balance(
                    kind,
                    label,
                    compensatory_earned(person),
                    comp_used,
                    comp_pending,
                    "加班每满 4 小时折半天",
                )
            )
        else:
            policy = limits.get(kind)
            note = (
                f"单次最多 {rules.days_text(policy.max_days)} 天"
                if policy and policy.max_days
                else ""
            )
            out.append(Balance(kind, label, None, used[kind], pending[kind], note))
    return out


# -- outing slips and checks -----------------------------------------------------


def slips_for(user) -> QuerySet[OutingSlip]:
    return OutingSlip.objects.visible_to(user).select_related("person", "team", "outlet")


def slip_detail(user, pk: int) -> OutingSlip:
    return get_object_or_404(slips_for(user), pk=pk)


def check_population(
    team: Team, start: dt.date, end: dt.date, *, as_of: dt.datetime
) -> QuerySet[OutingSlip]:
    """The slips a check of a team's period draws from: those going out in
    the period and filed by ``as_of``, in a fixed order."""
    return OutingSlip.objects.filter(
        team=team,
        planned_out__date__gte=start,
        planned_out__date__lte=end,
        filed_at__lte=as_of,
    ).order_by("pk")


def rounds_for(user) -> QuerySet[CheckRound]:
    return (
        CheckRound.objects.visible_to(user)
        .select_related("team", "created_by")
        .annotate(
            checked=Count("checks", filter=~Q(checks__result=OutingCheck.Result.PENDING)),
            discrepancies=Count("checks", filter=Q(checks__result=OutingCheck.Result.DISCREPANCY)),
            total=Count("checks"),
        )
    )


def round_detail(user, pk: int) -> CheckRound:
    return get_object_or_404(rounds_for(user), pk=pk)


def round_checks(check_round: CheckRound) -> QuerySet[OutingCheck]:
    return check_round.checks.select_related("slip__person", "checked_by").order_by(
        "slip__planned_out", "slip_id"
    )


def slip_checks(slip: OutingSlip) -> QuerySet[OutingCheck]:
    return slip.checks.select_related("round", "checked_by").order_by("-round__created_at")


def pending_checks(user) -> QuerySet[OutingCheck]:
    scope = scope_for(user)
    qs = OutingCheck.objects.filter(result=OutingCheck.Result.PENDING)
    if not scope.superuser:
        qs = qs.filter(round__team_id__in=scope.ids(Role.TEAM_LEADER))
    return qs


# -- patrols and events -------------------------------------------------------------


def patrols_for(user) -> QuerySet[Patrol]:
    return (
        Patrol.objects.visible_to(user)
        .select_related("team", "outlet", "patrolled_by")
        .annotate(
            people=Count("entries"),
            away=Count("entries", filter=Q(entries__found="away")),
        )
    )


def patrol_detail(user, pk: int) -> Patrol:
    return get_object_or_404(patrols_for(user), pk=pk)


def events_for(user) -> QuerySet[TeamEvent]:
    return (
        TeamEvent.objects.visible_to(user)
        .select_related("team", "created_by")
        .annotate(
            expected=Count("roster"),
            came=Count("roster", filter=Q(roster__status=EventAttendance.Status.PRESENT)),
        )
    )


def event_detail(user, pk: int) -> TeamEvent:
    return get_object_or_404(events_for(user), pk=pk)


def event_roster(event: TeamEvent) -> QuerySet[EventAttendance]:
    return event.roster.select_related("person").order_by("person__employee_no")


def training_history(person: User) -> QuerySet[EventAttendance]:
    """A person's training record (R-7.7), newest first."""
    return (
        EventAttendance.objects.filter(person=person, event__kind=TeamEvent.Kind.TRAINING)
        .select_related("event__team")
        .order_by("-event__date", "-event_id")
    )
