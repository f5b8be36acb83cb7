"""Demo data for the attendance chapter.

Small: since the first of the month three months back, every team's daily
roll (lateness against outlet hours, early leave, absences, overtime),
leave approved through the real flow (and some still waiting for team A's
leader), outing slips, after-checks, corrections and disputes, patrols and
training. Large: a year of attendance for every team, bulk-inserted in
chunks (with approved leave and outing slips as history, without the
approval trail), so benchmarks have realistic volumes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections import defaultdict

from django.core.exceptions import ValidationError

from attendance.demo.bulk import (
    Plan,
    approve_through_flow,
    draw_leaves,
    draw_slips,
    save_slips,
    team_cms,
    write_records,
)
from attendance.models import (
    AttendanceRecord,
    CheckRound,
    EventAttendance,
    LeaveKind,
    LeaveRequest,
    OutingCheck,
    OutingSlip,
    PatrolEntry,
    TeamEvent,
)
from attendance.services import events as event_services
from attendance.services import leave as leave_services
from attendance.services import outing as outing_services
from attendance.services import roll as roll_services
from attendance.services.roll import RollEntry
from portal.demo import DemoContext
from staff import calendar
from staff.models import User

TRAININGS = (
    ("business", "两融业务与风险揭示"),
    ("business", "公募基金产品要点"),
    ("etiquette", "商务礼仪与客户接待"),
    ("sales", "电话营销与异议处理"),
    ("sales", "高净值客户开发技巧"),
    ("compliance", "适当性管理与合规展业"),
)


def seed(ctx: DemoContext) -> None:
    began = time.monotonic()
    today = ctx.today
    yesterday = today - dt.timedelta(days=1)
    if ctx.scale == "large":
        start = today - dt.timedelta(days=365)
    else:
        first = today.replace(day=1)
        for _ in range(3):
            first = (first - dt.timedelta(days=1)).replace(day=1)
        start = first
    plan = Plan(ctx, start, yesterday)
    ctx.data["attendance_start"] = start  # the visits demo matches its slips from here
    small = ctx.scale == "small"
    leaves: dict[int, list[LeaveRequest]] = defaultdict(list)
    all_slips: list[OutingSlip] = []
    slips_by_team = {}
    for team in ctx.data["teams"]:
        for cm in team_cms(ctx, team):
            for leave in draw_leaves(ctx, plan, cm, 2 if small else 3):
                leaves[cm.pk].append(leave)
        slips_by_team[team.pk] = draw_slips(ctx, plan, team, 0.12 if small else 0.06)
        all_slips.extend(slips_by_team[team.pk].values())
    save_slips(all_slips)
    flat = [lv for items in leaves.values() for lv in items]
    if small:
        for leave in flat:
            approve_through_flow(ctx, leave)
    else:
        LeaveRequest.objects.bulk_create(flat, batch_size=2000)
    total = 0
    for team in ctx.data["teams"]:
        total += write_records(ctx, plan, team, leaves, slips_by_team[team.pk], history=small)
    if small:
        showcase(ctx, plan)
    ctx.say(
        f"  考勤：{total} 条日考勤记录（{start:%Y-%m-%d} 至 {yesterday:%Y-%m-%d}），"
        f"请假 {len(flat)} 次，出访单 {len(all_slips)} 张（{time.monotonic() - began:.0f} 秒）"
    )


def showcase(ctx: DemoContext, plan: Plan) -> None:
    """What each kind of user finds waiting: pending leave for team A's
    leader, a provisional-year leave, disputes for the recorder, checks,
    patrols and training with who came."""
    rng = ctx.rng
    today = ctx.today
    leader = ctx.logins["demo_tl"][0]
    team = leader.team
    demo_cm = ctx.logins["demo_cm"][0]
    demo_rec = ctx.logins["demo_rec"][0]
    cms = team_cms(ctx, team)
    ahead = calendar.working_days(today + dt.timedelta(days=2), today + dt.timedelta(days=30))
    # Leave waiting for the leader, one of it in next year's provisional calendar.
    others = [c for c in cms if c.pk not in (demo_cm.pk, demo_rec.pk)]
    _ask(demo_cm, LeaveKind.PERSONAL, ahead[2], ahead[3], reason="回老家办理房产手续")
    _ask(others[0], LeaveKind.ANNUAL, ahead[5], ahead[5], start_half="pm", reason="休年假半天")
    next_year = calendar.working_days(dt.date(today.year + 1, 1, 4), dt.date(today.year + 1, 1, 8))
    _ask(others[1], LeaveKind.ANNUAL, next_year[0], next_year[1], reason="年初休年假")
    # Corrections and disputes on recent days.
    recent = [d for d in plan.days if (today - d).days <= 20]
    records = list(
        AttendanceRecord.objects.filter(team=team, date__in=recent, status="present")
        .select_related("person", "team", "leave", "outing_slip")
        .order_by("-date", "person_id")
    )
    mine = [r for r in records if r.person_id == demo_cm.pk and not r.late_minutes]
    if mine:
        late = mine[0]
        roll_services.correct_record(
            actor=demo_rec,
            record=late,
            entry=RollEntry(arrived_at=dt.time(9, 18)),
            reason="补记：当日 9:18 到岗，网点签到表为证",
        )
        roll_services.file_dispute(
            actor=demo_cm,
            record=late,
            reason="当日地铁故障晚点，有地铁公司延误证明，申请不计迟到。",
        )
    theirs = [r for r in records if r.person_id == others[2].pk]
    if theirs:
        dispute = roll_services.file_dispute(
            actor=others[2], record=theirs[0], reason="当日外出拜访客户，出访单漏填，请核实。"
        )
        roll_services.resolve_dispute(
            actor=demo_rec,
            dispute=dispute,
            accept=False,
            resolution="外出须事先填写出访单，按规定不予更正。",
        )
    # After-checks: last month's sample done, this month's waiting.
    this_month = today.replace(day=1)
    last_month = (this_month - dt.timedelta(days=1)).replace(day=1)
    for team_item in ctx.data["teams"]:
        team_leader = ctx.data["leaders"][team_item.pk]
        try:
            done = outing_services.start_check_round(
                actor=team_leader,
                team=team_item,
                period_start=last_month,
                period_end=this_month - dt.timedelta(days=1),
                mode=CheckRound.Mode.SAMPLE,
                seed=rng.randint(1, 2**31 - 1),
            )
        except ValidationError:  # no slips that month
            done = None
        for i, check in enumerate(done.checks.all() if done else ()):
            outing_services.record_check_result(
                actor=team_leader,
                check=check,
                result=OutingCheck.Result.DISCREPANCY if i == 1 else OutingCheck.Result.CONFIRMED,
                note="电话回访被访人，对方称当天未见面" if i == 1 else "电话回访被访人，情况属实",
            )
        if team_item.pk == team.pk and this_month < today:
            with contextlib.suppress(ValidationError):
                outing_services.start_check_round(
                    actor=team_leader,
                    team=team_item,
                    period_start=this_month,
                    period_end=today - dt.timedelta(days=1),
                    mode=CheckRound.Mode.SAMPLE,
                    sample_size=4,
                    seed=rng.randint(1, 2**31 - 1),
                )
        _patrols_and_training(ctx, plan, team_item, team_leader)


def _ask(person: User, kind: str, start: dt.date, end: dt.date, **kwargs) -> None:
    """Leave asked the real way; personal leave when the balance does not allow it."""
    try:
        leave_services.submit_leave(
            actor=person, kind=kind, start_date=start, end_date=end, **kwargs
        )
    except ValidationError:
        leave_services.submit_leave(
            actor=person, kind=LeaveKind.PERSONAL, start_date=start, end_date=end, **kwargs
        )


def _patrols_and_training(ctx: DemoContext, plan: Plan, team, leader: User) -> None:
    rng = ctx.rng
    fridays = [d for d in plan.days if d.weekday() == 4]
    for i, day in enumerate(fridays):
        members = plan.members(team.pk, day)
        cms = [p.user for p in members if p.user_id != leader.pk]
        if i % 2 == 0:
            outlet = rng.choice([p.outlet for p in members if p.outlet])
            entries = {}
            for p in members:
                if p.outlet_id != outlet.pk or p.user_id == leader.pk:
                    continue
                found = rng.choices(
                    (PatrolEntry.Found.IN_POST, PatrolEntry.Found.OUTING, PatrolEntry.Found.AWAY),
                    (85, 12, 3),
                )[0]
                entries[p.user_id] = (found, "网点称其外出，未见出访单" if found == "away" else "")
            event_services.record_patrol(
                actor=leader,
                team=team,
                date=day,
                time=dt.time(rng.choice((9, 10, 15)), rng.choice((0, 20, 40))),
                outlet=outlet,
                notes="向网点负责人了解本周人员到岗情况。",
                entries=entries,
            )
        else:
            topic, title = TRAININGS[(i // 2) % len(TRAININGS)]
            event = event_services.create_event(
                actor=leader,
                team=team,
                kind=TeamEvent.Kind.TRAINING,
                topic=topic,
                title=title,
                date=day,
                start_time=dt.time(16, 0),
                end_time=dt.time(17, 30),
                place="营业部三楼会议室",
                trainer=rng.choice(("总部培训讲师", "团队负责人", "合作银行理财经理")),
                roster=cms,
            )
            statuses = {
                p.pk: rng.choices(
                    (
                        EventAttendance.Status.PRESENT,
                        EventAttendance.Status.EXCUSED,
                        EventAttendance.Status.ABSENT,
                    ),
                    (90, 7, 3),
                )[0]
                for p in cms
            }
            event_services.record_event_attendance(actor=leader, event=event, statuses=statuses)
    # A marketing event coming up, still to be attended.
    ahead = calendar.working_days(
        ctx.today + dt.timedelta(days=3), ctx.today + dt.timedelta(days=14)
    )
    roster = [p for p in event_services.members_on(team, ctx.today).values() if p.pk != leader.pk]
    event_services.create_event(
        actor=leader,
        team=team,
        kind=TeamEvent.Kind.MARKETING,
        topic=TeamEvent.Topic.OTHER,
        title="社区投资者教育讲座",
        date=ahead[0],
        start_time=dt.time(19, 0),
        place="合作银行网点大厅",
        trainer=leader.name,
        roster=roster,
    )
