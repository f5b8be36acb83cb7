"""The bulk of the demo: who is where each day, drawn leave and slips, and
every day's roll computed by the roll's own rule (services.roll.compute),
written through the ORM with history (small) or as plain rows (large)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from approvals import services as approvals
from approvals.models import Action, Request
from approvals.walk import approve_all
from attendance import rules
from attendance.models import (
    AttendanceDay,
    AttendanceRecord,
    LeaveKind,
    LeaveRequest,
    OutingSlip,
)
from attendance.selectors import DEFAULT_END, DEFAULT_START, RollRow
from attendance.services import leave as leave_services
from attendance.services import roll as roll_services
from attendance.services.roll import RollEntry
from portal.demo import CITIES, DemoContext
from staff import calendar
from staff.models import Posting, Role, RoleAssignment, User

CHUNK = 20_000
PLACES = (
    "{company}",
    "{company}财务部",
    "客户家中（{district}）",
    "{bank}网点理财室",
    "社区活动中心",
    "{company}会议室",
)
PURPOSES = (
    "拜访客户，介绍两融业务",
    "上门办理开户及风险测评",
    "回访高净值客户，沟通资产配置",
    "到合作银行网点驻点营销",
    "参加社区理财讲座",
    "递送产品资料，约定面谈",
)
LEAVE_REASONS = {
    LeaveKind.PERSONAL: ("家中有事", "办理个人证件", "孩子家长会", "搬家"),
    LeaveKind.SICK: ("感冒发烧", "肠胃不适就医", "牙科治疗"),
    LeaveKind.ANNUAL: ("休年假，外出旅游", "休年假陪伴家人"),
}


class Plan:
    """Who is in each team on which day, with his outlet's hours."""

    def __init__(self, ctx: DemoContext, start: dt.date, end: dt.date):
        self.ctx = ctx
        self.start, self.end = start, end
        self.days = calendar.working_days(start, end)
        self.provisional = {d.year for d in self.days} - set(calendar_years(start.year, end.year))
        postings = (
            Posting.objects.filter(team__isnull=False, valid_from__lte=end)
            .exclude(valid_to__lte=start)
            .select_related("outlet", "user")
            .order_by("team_id", "user_id", "valid_from")
        )
        self.postings: dict[int, list[Posting]] = defaultdict(list)
        for p in postings:
            self.postings[p.team_id].append(p)
        self.recorders = dict(
            RoleAssignment.objects.filter(role=Role.ATTENDANCE_RECORDER, team__isnull=False)
            .order_by("team_id", "valid_from")
            .values_list("team_id", "user_id")
        )

    def members(self, team_id: int, day: dt.date) -> list[Posting]:
        return [
            p
            for p in self.postings[team_id]
            if p.valid_from <= day and (p.valid_to is None or day < p.valid_to)
        ]


def calendar_years(first: int, last: int) -> list[int]:
    from staff.models import CalendarYear

    return list(
        CalendarYear.objects.filter(year__range=(first, last)).values_list("year", flat=True)
    )


def team_cms(ctx: DemoContext, team) -> list[User]:
    return [c for c in ctx.data["cms_by_team"].get(team.pk, []) if c.status == User.Status.ACTIVE]


# -- leave ------------------------------------------------------------------------------


def _leave_days(start, start_half, end, end_half, working) -> Decimal:
    portions = rules.leave_portions(start, start_half, end, end_half, working)
    return sum((p for p, _ in portions.values()), Decimal(0))


def draw_leaves(ctx: DemoContext, plan: Plan, person: User, count: int) -> list[LeaveRequest]:
    """``count`` non-overlapping leaves of one person in the period."""
    rng = ctx.rng
    out: list[LeaveRequest] = []
    taken: set[dt.date] = set()
    days = [d for d in plan.days if d >= person.hired_on]
    for _ in range(count):
        if len(days) < 5:
            break
        i = rng.randrange(0, len(days) - 3)
        length = rng.choice((1, 1, 1, 2, 3))
        span = days[i : i + length]
        if taken & set(span):
            continue
        kind = rng.choice(
            (LeaveKind.PERSONAL, LeaveKind.PERSONAL, LeaveKind.SICK, LeaveKind.ANNUAL)
        )
        start_half = end_half = None
        if length == 1 and rng.random() < 0.3:
            start_half, end_half = rng.choice((("am", "am"), ("pm", "pm")))
        start_half, end_half = start_half or "am", end_half or "pm"
        taken |= set(span)
        out.append(
            LeaveRequest(
                person=person,
                branch_id=person.branch_id,
                team_id=person.team_id,
                group_id=person.group_id,
                outlet_id=person.outlet_id,
                kind=kind,
                start_date=span[0],
                start_half=start_half,
                end_date=span[-1],
                end_half=end_half,
                days=_leave_days(span[0], start_half, span[-1], end_half, span),
                reason=rng.choice(LEAVE_REASONS[kind]),
                status=LeaveRequest.Status.APPROVED,
                provisional=span[0].year in plan.provisional,
            )
        )
    return out


def approve_through_flow(ctx: DemoContext, leave: LeaveRequest) -> None:
    """A past leave, submitted and approved the real way, dated back."""
    leave.status = LeaveRequest.Status.PENDING
    leave.save()
    request = approvals.submit_request(
        actor=leave.person, subject=leave, flow_code=leave_services.LEAVE_FLOW
    )
    approve_all(request)
    asked = timezone.make_aware(
        dt.datetime.combine(leave.start_date - dt.timedelta(days=2), dt.time(9, 30))
    )
    approved = asked + dt.timedelta(hours=ctx.rng.randint(1, 20))
    Request.objects.filter(pk=request.pk).update(submitted_at=asked, ended_at=approved)
    Action.objects.filter(request=request, kind=Action.Kind.SUBMIT).update(created_at=asked)
    Action.objects.filter(request=request).exclude(kind=Action.Kind.SUBMIT).update(
        created_at=approved
    )
    LeaveRequest.objects.filter(pk=leave.pk).update(created_at=asked, approved_at=approved)


# -- slips -------------------------------------------------------------------------------


def draw_slips(
    ctx: DemoContext, plan: Plan, team, chance: float
) -> dict[tuple[int, dt.date], OutingSlip]:
    rng = ctx.rng
    bi = ctx.data["branches"].index(team.branch)
    city, district, _ = CITIES[bi % len(CITIES)]
    slips = {}
    for posting in plan.postings[team.pk]:
        person = posting.user_id
        for day in plan.days:
            if not (
                posting.valid_from <= day and (posting.valid_to is None or day < posting.valid_to)
            ):
                continue
            if rng.random() >= chance:
                continue
            hour = rng.choice((9, 10, 14, 15))
            out = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.choice((0, 30)))))
            company = ctx.company_name(city)
            bank = posting.outlet.name if posting.outlet else "合作银行"
            slip = OutingSlip(
                person_id=person,
                branch_id=team.branch_id,
                team_id=team.pk,
                group_id=posting.group_id,
                outlet_id=posting.outlet_id,
                destination=rng.choice(PLACES).format(
                    company=company, district=district, bank=bank
                ),
                visitee=ctx.person_name() + rng.choice(("总", "经理", "先生", "女士")),
                contact=ctx.phone(),
                purpose=rng.choice(PURPOSES),
                planned_out=out,
                planned_back=out + dt.timedelta(hours=rng.choice((1, 2, 2, 3))),
            )
            if rng.random() < 0.5:  # half of them allowed the phone's location
                slip.latitude = Decimal("22.5") + Decimal(rng.randint(0, 99999)) / 1000000
                slip.longitude = Decimal("114.0") + Decimal(rng.randint(0, 99999)) / 1000000
                slip.accuracy = rng.randint(10, 80)
            slips[(person, day)] = slip
    return slips


def slips_for_visits(ctx: DemoContext, wanted: list[tuple]) -> int:
    """Slips for the visits demo's in-person visits made before this demo's
    window (no roll records exist there to contradict them): one per
    (person, day, client name), once per person and day, stamped with the
    person's unit so the same leaders see them."""
    rng = ctx.rng
    slips, seen = [], set()
    for person, day, client in wanted:
        if (person.pk, day) in seen:
            continue
        seen.add((person.pk, day))
        out = timezone.make_aware(
            dt.datetime.combine(day, dt.time(rng.choice((9, 10, 14, 15)), rng.choice((0, 30))))
        )
        slip = OutingSlip(
            person_id=person.pk,
            destination=client,
            visitee=ctx.person_name() + rng.choice(("总", "经理", "先生", "女士")),
            contact=ctx.phone(),
            purpose="客户走访",
            planned_out=out,
            planned_back=out + dt.timedelta(hours=rng.choice((1, 2, 2, 3))),
        )
        slip.stamp_from(person)
        slips.append(slip)
    save_slips(slips)
    return len(slips)


def save_slips(slips: list[OutingSlip]) -> None:
    for start in range(0, len(slips), CHUNK):
        chunk = slips[start : start + CHUNK]
        OutingSlip.objects.bulk_create(chunk, batch_size=2000)
        # Filed before leaving: half an hour before going out.
        OutingSlip.objects.filter(pk__range=(chunk[0].pk, chunk[-1].pk)).update(
            filed_at=F("planned_out") - dt.timedelta(minutes=35)
        )


# -- the daily roll ---------------------------------------------------------------------------


def _entry(ctx: DemoContext, row: RollRow) -> RollEntry:
    """A realistic day: mostly on time, sometimes late, early or absent."""
    rng = ctx.rng
    roll = rng.random()
    arrived = left = None
    status = AttendanceRecord.Status.PRESENT
    left_post = False
    if roll < 0.004:
        status = AttendanceRecord.Status.ABSENT
    elif roll < 0.05:
        start = dt.datetime.combine(dt.date.min, row.work_start)
        arrived = (start + dt.timedelta(minutes=rng.randint(1, 35))).time()
    elif roll < 0.07:
        end = dt.datetime.combine(dt.date.min, row.work_end)
        left = (end - dt.timedelta(minutes=rng.choice((10, 20, 30, 45, 60)))).time()
    elif roll < 0.073:
        left_post = True
    overtime = Decimal(0)
    if status == AttendanceRecord.Status.PRESENT and rng.random() < 0.1:
        overtime = Decimal(rng.choice((1, 2, 3, 4, 5))) / 2
    return RollEntry(
        status=status,
        arrived_at=arrived,
        left_at=left,
        left_post=left_post,
        overtime_hours=overtime,
    )


def write_records(
    ctx: DemoContext,
    plan: Plan,
    team,
    leaves: dict[int, list[LeaveRequest]],
    slips: dict[tuple[int, dt.date], OutingSlip],
    *,
    history: bool,
) -> int:
    """Every working day of the team in the period, each member's record
    computed by the roll's own rule (roll_services.compute)."""
    recorder_id = plan.recorders.get(team.pk) or ctx.data["leaders"][team.pk].pk
    recorder = User(pk=recorder_id)  # who the history names
    days = [
        AttendanceDay(
            team=team,
            branch_id=team.branch_id,
            date=day,
            provisional=day.year in plan.provisional,
            recorded_by_id=recorder_id,
        )
        for day in plan.days
    ]
    if history:
        bulk_create_with_history(
            days, AttendanceDay, default_user=recorder, default_change_reason="记录考勤"
        )
    else:
        AttendanceDay.objects.bulk_create(days, batch_size=2000)
    writer = _Writer(history, recorder)
    for record_day in days:
        day = record_day.date
        for posting in plan.members(team.pk, day):
            outlet = posting.outlet
            row = RollRow(
                person=None,
                posting=posting,
                work_start=outlet.work_start if outlet else DEFAULT_START,
                work_end=outlet.work_end if outlet else DEFAULT_END,
                slip=slips.get((posting.user_id, day)),
            )
            for leave in leaves.get(posting.user_id, ()):
                if leave.start_date <= day <= leave.end_date:
                    portion = rules.leave_portions(
                        leave.start_date, leave.start_half, leave.end_date, leave.end_half, [day]
                    ).get(day)
                    if portion:
                        row.leave = leave
                        row.leave_portion, row.leave_off = portion
            values = roll_services.compute(row, _entry(ctx, row))
            writer.add(
                day=record_day,
                person_id=posting.user_id,
                date=day,
                branch_id=team.branch_id,
                team_id=team.pk,
                group_id=posting.group_id,
                outlet_id=posting.outlet_id,
                work_start=row.work_start,
                work_end=row.work_end,
                updated_by_id=recorder_id,
                **values,
            )
    return writer.close()


class _Writer:
    """Writes records in chunks: through the ORM with history (small), or
    as plain rows (large: a year of every team, where building a model
    instance per row would cost minutes). Values are adapted by the
    database backend's own functions."""

    COLUMNS = (
        "day",
        "person",
        "date",
        "branch",
        "team",
        "group",
        "outlet",
        "work_start",
        "work_end",
        "status",
        "arrived_at",
        "late_minutes",
        "left_at",
        "early_minutes",
        "left_post",
        "overtime_hours",
        "leave",
        "leave_kind",
        "leave_half",
        "outing_slip",
        "present_days",
        "leave_days",
        "absent_days",
        "note",
        "updated_by",
        "updated_at",
    )

    def __init__(self, history: bool, recorder: User):
        self.history = history
        self.recorder = recorder
        self.pending: list = []
        self.count = 0
        if not history:
            ops = connection.ops
            meta = AttendanceRecord._meta
            fields = [meta.get_field(name) for name in self.COLUMNS]
            columns = ", ".join(ops.quote_name(f.column) for f in fields)
            marks = ", ".join(["%s"] * len(fields))
            table = ops.quote_name(meta.db_table)
            # Only quoted model column names and placeholders: no user input.
            self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            self.now = ops.adapt_datetimefield_value(timezone.now())
            self.date = ops.adapt_datefield_value
            self.time = ops.adapt_timefield_value
            self.decimal = ops.adapt_decimalfield_value

    def add(self, **values) -> None:
        if self.history:
            self.pending.append(AttendanceRecord(**values))
        else:
            self.pending.append(self._row(values))
        if len(self.pending) >= CHUNK:
            self.flush()

    def _row(self, v: dict) -> tuple:
        leave, slip = v["leave"], v["outing_slip"]
        return (
            v["day"].pk,
            v["person_id"],
            self.date(v["date"]),
            v["branch_id"],
            v["team_id"],
            v["group_id"],
            v["outlet_id"],
            self.time(v["work_start"]),
            self.time(v["work_end"]),
            v["status"],
            self.time(v["arrived_at"]),
            v["late_minutes"],
            self.time(v["left_at"]),
            v["early_minutes"],
            v["left_post"],
            self.decimal(Decimal(v["overtime_hours"]), 4, 1),
            leave.pk if leave else None,
            v["leave_kind"],
            v["leave_half"],
            slip.pk if slip else None,
            self.decimal(Decimal(v["present_days"]), 2, 1),
            self.decimal(Decimal(v["leave_days"]), 2, 1),
            self.decimal(Decimal(v["absent_days"]), 2, 1),
            v["note"],
            v["updated_by_id"],
            self.now,
        )

    def flush(self) -> None:
        if not self.pending:
            return
        if self.history:
            bulk_create_with_history(
                self.pending,
                AttendanceRecord,
                batch_size=2000,
                default_user=self.recorder,
                default_change_reason="记录考勤",
            )
        else:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.pending)
        self.count += len(self.pending)
        self.pending = []

    def close(self) -> int:
        self.flush()
        return self.count
