"""Demo visits (R-7.1 … R-7.5): a year of visit logs to every manager's
clients at about their tier's frequency, follow-ups raised on one visit in
seven and carried through to closing (the recent ones still open, some
overdue), verified months, plans for the coming fortnight, a few overlaps
and last quarter's team reports. ``--scale large`` gives about 300,000
visits.

Built in bulk for speed: older months are stored as verified without an
approval document; the last month's logs of the small demo go through the
approval engine, so leaders have some to verify."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from approvals.walk import approve_all
from attendance.demo.bulk import slips_for_visits
from attendance.selectors import slips_between
from clients.models import Client, ClientAssignment
from portal.demo import DemoContext, insert_instances
from staff import calendar
from visits import rules
from visits.models import (
    FollowUp,
    FollowUpCategory,
    FollowUpStatus,
    FollowUpStep,
    HandlingDept,
    InformedHow,
    MonthlySubmission,
    OverlapWarning,
    Visit,
    VisitMode,
    VisitPlan,
)

BATCH = 5000
# Visits per client manager per year at most; the tiers' intervals stretch to fit.
BUDGET = {"small": 110, "large": 185}

CONTENT = (
    "上门拜访，介绍近期市场行情和两融业务，了解客户资产配置情况。",
    "电话回访，询问交易软件使用情况，提醒关注持仓风险。",
    "与客户财务负责人面谈，介绍现金管理产品和国债逆回购。",
    "线上视频沟通，讲解新发基金产品要点和风险等级。",
    "陪同投资顾问拜访，解读客户持仓结构并给出调仓建议。",
    "节前回访，送达投资策略报告，了解客户资金安排。",
    "核实客户联系方式和风险测评有效期，提醒及时更新。",
    "邀请客户参加营业部投资策略会，介绍会议安排。",
)
PHONE_CONTENT = "电话回访，了解客户近期资产配置和交易情况，提醒关注持仓风险。"
OPINIONS = (
    "",
    "",
    "希望行情软件更稳定。",
    "认为佣金偏高，希望有优惠。",
    "对服务满意，希望多提供研究报告。",
    "希望营业部多举办投资者教育活动。",
)
NEEDS = ("", "", "有理财产品配置需求。", "有意开通融资融券。", "需要开通港股通权限。")
NEXT = ("", "两周后电话回访。", "下月安排投资顾问面谈。", "寄送产品说明书。")
PROBLEMS = (
    (FollowUpCategory.TRADING, HandlingDept.IT, "客户反映交易软件行情刷新慢，偶有闪退。"),
    (FollowUpCategory.ACCOUNT, HandlingDept.OPERATIONS, "客户要求修改预留手机号并重置密码。"),
    (FollowUpCategory.FEES, HandlingDept.OPERATIONS, "客户申请佣金优惠，需营业部审批。"),
    (FollowUpCategory.MARGIN, HandlingDept.MARGIN, "客户咨询融资融券授信额度调整。"),
    (FollowUpCategory.PRODUCT, HandlingDept.PRODUCTS, "客户询问已购理财产品的到期兑付安排。"),
    (FollowUpCategory.COMPLAINT, HandlingDept.COMPLIANCE, "客户对上月电话营销方式提出意见。"),
    (FollowUpCategory.SERVICE, "", "客户需要上年度对账单和完税证明。"),
)
INFORM_NOTES = ("客户表示满意", "客户已知悉", "客户认可处理结果", "")


def seed(ctx: DemoContext) -> None:
    builder = _Builder(ctx)
    builder.visits()
    builder.plans_and_overlaps()
    builder.followups()
    with transaction.atomic():
        builder.months()
        builder.reports()
    ctx.say(
        f"  客户走访：{builder.counts['visits']} 条走访日志，督办 {builder.counts['followups']} 件"
        f"（未办结 {builder.counts['open']} 件），月度核验 {builder.counts['months']} 份，"
        f"走访计划 {builder.counts['plans']} 条，补出访单 {builder.counts['slips']} 张"
    )


class _Builder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.start = ctx.today - dt.timedelta(days=364)
        self.working = calendar.working_days(self.start, ctx.today - dt.timedelta(days=1))
        self.cms = {cm.pk: cm for cm in ctx.data["cms"]}
        self.counts: dict[str, int] = defaultdict(int)
        self.visit_rows: list[tuple] = []  # (visit id, visitor, client, day)

    def _working_on_or_after(self, day: dt.date) -> dt.date | None:
        import bisect

        i = bisect.bisect_left(self.working, day)
        return self.working[i] if i < len(self.working) else None

    def _owners(self) -> dict[int, list[tuple[dt.date, dt.date | None, int]]]:
        owners: dict[int, list] = defaultdict(list)
        for client_id, manager_id, start, end in ClientAssignment.objects.filter(
            manager_id__in=list(self.cms)
        ).values_list("client_id", "manager_id", "valid_from", "valid_to"):
            owners[client_id].append((start, end, manager_id))
        return owners

    def visits(self) -> None:
        rng = self.rng
        owners = self._owners()
        clients = list(
            Client.objects.filter(manager_id__in=list(self.cms), tier__isnull=False)
            .exclude(status=Client.Status.CLOSED)
            .select_related("tier")
            .order_by("pk")
        )
        by_cm: dict[int, list[Client]] = defaultdict(list)
        for c in clients:
            by_cm[c.manager_id].append(c)
        budget = BUDGET[self.ctx.scale]
        visits: list[Visit] = []
        companions: list[tuple[int, int]] = []  # (index in visits, companion id)
        for cm_id, book in by_cm.items():
            expected = sum(365 / c.tier.visit_interval_days for c in book)
            stretch = max(1.0, expected / budget)
            for c in book:
                interval = c.tier.visit_interval_days * stretch
                # One client in twelve has been left alone: overdue by its tier.
                stop = self.today - dt.timedelta(
                    days=int(interval * 1.3) if rng.random() < 1 / 12 else 0
                )
                day = self.start + dt.timedelta(days=rng.uniform(0, interval))
                opened = c.opened_on or self.start
                while True:
                    visited = self._working_on_or_after(day)
                    if visited is None or visited >= stop:
                        break
                    day = visited + dt.timedelta(days=interval * rng.uniform(0.55, 1.05))
                    if visited < opened:
                        continue
                    visitor_id = _owner_on(owners, c.pk, visited, default=cm_id)
                    visitor = self.cms.get(visitor_id) or self.cms[cm_id]
                    roll = rng.random()
                    mode = (
                        VisitMode.ONSITE
                        if roll < 0.55
                        else VisitMode.PHONE
                        if roll < 0.9
                        else VisitMode.ONLINE
                    )
                    visits.append(self._visit(c, visitor, visited, mode))
                    if mode == VisitMode.ONSITE and rng.random() < 0.12:
                        mates = self.ctx.data["cms_by_team"].get(visitor.team_id, [])
                        mate = rng.choice(mates) if mates else None
                        if mate is not None and mate.pk != visitor.pk:
                            companions.append((len(visits) - 1, mate.pk))
        visits, companions = self._align_with_slips(visits, companions, by_cm, owners)
        insert_instances(Visit, visits, history=self.ctx.scale == "small")
        through = Visit.companions.through
        links = [through(visit_id=visits[i].pk, user_id=uid) for i, uid in companions]
        through.objects.bulk_create(links, batch_size=BATCH)
        self.visit_rows = [(v.pk, v.visitor_id, v.client_id, v.visited_on, v) for v in visits]
        self.counts["visits"] = len(visits)

    def _visit(self, client: Client, visitor, day: dt.date, mode: str) -> Visit:
        rng = self.rng
        v = Visit(
            client_id=client.pk,
            visitor_id=visitor.pk,
            visited_on=day,
            mode=mode,
            met_with=("财务总监" if client.kind == Client.Kind.INSTITUTION else "客户本人"),
            content=rng.choice(CONTENT),
            opinions=rng.choice(OPINIONS),
            needs=rng.choice(NEEDS),
            next_step=rng.choice(NEXT),
            month=day.replace(day=1),
        )
        v.stamp_from(visitor)
        return v

    def _align_with_slips(self, visits, companions, by_cm, owners):
        """Going out to a client means filing an outing slip (R-7.1 with
        R-2.6), so the leader's cross-check shows a handful of exceptions,
        not hundreds. Within the attendance demo's window (its slips): an
        in-person visit on a day without a slip becomes a phone call, and a
        slip without a visit gets one to a client of his; before the window
        each in-person visit gets its slip. About one in thirty is left
        unmatched on purpose, for the check to find."""
        rng = self.rng
        slip_days: dict[int, set[dt.date]] = defaultdict(set)
        for person_id, out in slips_between(list(self.cms), self.start, self.today).values_list(
            "person_id", "planned_out"
        ):
            slip_days[person_id].add(timezone.localtime(out).date())
        # The attendance demo (seeded before this one) keeps the roll from here.
        window = self.ctx.data["attendance_start"]
        out_days: dict[int, set[dt.date]] = defaultdict(set)
        to_file = []  # in-person visits before the window that get their slip
        for v in visits:
            if v.mode != VisitMode.ONSITE:
                continue
            if v.visited_on >= window:
                if v.visited_on not in slip_days[v.visitor_id] and rng.random() >= 1 / 30:
                    v.mode = VisitMode.PHONE
                    v.content = PHONE_CONTENT
                    continue
            elif rng.random() >= 1 / 30:
                to_file.append(v)
            out_days[v.visitor_id].add(v.visited_on)
        # Companions go along only on in-person visits, and file a slip too.
        kept = []
        for i, mate in companions:
            v = visits[i]
            if v.mode != VisitMode.ONSITE:
                continue
            if v.visited_on >= window and v.visited_on not in slip_days[mate]:
                continue
            kept.append((i, mate))
        added = 0
        for person_id, days in slip_days.items():
            book = by_cm.get(person_id, [])
            visitor = self.cms.get(person_id)
            if not book or visitor is None:
                continue
            for day in sorted(days - out_days[person_id]):
                if rng.random() < 1 / 30:
                    continue
                client = rng.choice(book)
                owner = _owner_on(owners, client.pk, day, default=person_id)
                if owner != person_id or day < (client.opened_on or self.start):
                    continue
                visits.append(self._visit(client, visitor, day, VisitMode.ONSITE))
                added += 1
        joined = [(visits[i], mate) for i, mate in kept if visits[i].visited_on < window]
        wanted = [(v, self.cms[v.visitor_id]) for v in to_file]
        wanted += [(v, self.cms[mate]) for v, mate in joined if mate in self.cms]
        names = dict(
            Client.objects.filter(pk__in={v.client_id for v, _ in wanted}).values_list("pk", "name")
        )
        filed = slips_for_visits(
            self.ctx, [(person, v.visited_on, names[v.client_id]) for v, person in wanted]
        )
        self.counts["slip_visits"] = added
        self.counts["slips"] = filed
        return visits, kept

    def followups(self) -> None:
        """One visit in seven raised a follow-up due a week later; old ones
        are closed (a few never were: long overdue), recent ones spread over
        the states."""
        rng = self.rng
        followups: list[FollowUp] = []
        paths: list[list[tuple[str, dt.date]]] = []
        for _pk, visitor_id, _client, day, v in self.visit_rows:
            if rng.random() >= 1 / 7:
                continue
            category, department, description = rng.choice(PROBLEMS)
            due = day + dt.timedelta(days=7 + rng.choice((0, 0, 3, 7)))
            age = (self.today - day).days
            path = [(FollowUpStatus.OPEN, day)]
            if department:
                path.append((FollowUpStatus.FORWARDED, day))
            # How far it got: recent ones less far; one in twenty old ones stalls.
            if age > 45:
                reach = 4 if rng.random() < 0.95 else rng.choice((0, 1))
            else:
                reach = rng.choice((0, 0, 1, 1, 2, 3, 4, 4)) if age > 3 else 0
            d = day
            for step in range(reach):
                d = min(d + dt.timedelta(days=rng.randint(0, 5 if step < 2 else 2)), self.today)
                status = (
                    FollowUpStatus.HANDLING,
                    FollowUpStatus.RESOLVED,
                    FollowUpStatus.INFORMED,
                    FollowUpStatus.CLOSED,
                )[step]
                path.append((status, d))
            reached = dict(path)
            f = FollowUp(
                visit_id=v.pk,
                client_id=v.client_id,
                owner_id=visitor_id,
                raised_by_id=visitor_id,
                raised_on=day,
                category=category,
                description=description,
                department=department,
                department_note="已电话联系经办人" if department else "",
                due_on=due,
                status=path[-1][0],
            )
            f.stamp_from(self.cms[visitor_id])
            if FollowUpStatus.RESOLVED in reached:
                f.resolution = "已协调相关部门办理完毕。"
                f.resolved_on = reached[FollowUpStatus.RESOLVED]
            if FollowUpStatus.INFORMED in reached:
                f.informed_on = reached[FollowUpStatus.INFORMED]
                f.informed_how = rng.choice(InformedHow.values)
                f.informed_note = rng.choice(INFORM_NOTES)
            if FollowUpStatus.CLOSED in reached:
                f.closed_at = self._at(reached[FollowUpStatus.CLOSED], 17)
            followups.append(f)
            paths.append(path)
        insert_instances(FollowUp, followups, history=True)
        steps = []
        for f, path in zip(followups, paths, strict=True):
            previous = ""
            for hour, (status, day) in enumerate(path, start=9):
                steps.append(
                    FollowUpStep(
                        followup_id=f.pk,
                        from_status=previous,
                        to_status=status,
                        actor_id=f.owner_id,
                        at=self._at(day, min(hour, 18)),
                        note="" if status != FollowUpStatus.CLOSED else "已告知客户，办结。",
                    )
                )
                previous = status
        insert_instances(FollowUpStep, steps)
        self.counts["followups"] = len(followups)
        self.counts["open"] = sum(1 for f in followups if f.status != FollowUpStatus.CLOSED)

    def _at(self, day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def months(self) -> None:
        """Months before last: verified by the team leader in the first days
        of the next month. Last month (small demo): submitted through the
        engine, most verified, a few waiting for the leader."""
        leaders = self.ctx.data["leaders"]
        current = rules.month_start(self.today)
        last = rules.month_start(current - dt.timedelta(days=1))
        counts: dict[tuple[int, dt.date], int] = defaultdict(int)
        for _pk, visitor_id, _client, _day, v in self.visit_rows:
            counts[(visitor_id, v.month)] += 1
        rows = []
        for (visitor_id, month), n in sorted(counts.items()):
            if month >= last:
                continue
            visitor = self.cms[visitor_id]
            leader = leaders.get(visitor.team_id)
            next_month = rules.month_start(month + dt.timedelta(days=32))
            s = MonthlySubmission(
                visitor_id=visitor_id,
                month=month,
                status=MonthlySubmission.Status.VERIFIED,
                visit_count=n,
                submitted_at=self._at(next_month - dt.timedelta(days=1), 17),
                verified_by=leader,
                verified_at=self._at(next_month + dt.timedelta(days=2), 10),
                opinion="已核验，走访记录完整。",
            )
            s.stamp_from(visitor)
            rows.append(s)
        insert_instances(MonthlySubmission, rows, history=True)
        # Each visit of those months joins its month's submission (one
        # statement, not one per submission: 15,000 of them at large scale).
        Visit.objects.filter(month__lt=last).update(
            submission=Subquery(
                MonthlySubmission.objects.filter(
                    visitor_id=OuterRef("visitor_id"), month=OuterRef("month")
                ).values("pk")[:1]
            )
        )
        self.counts["months"] = len(rows)
        if self.ctx.scale != "small":
            return
        from visits.services import submissions

        visitors = sorted({vid for (vid, month) in counts if month == last})
        for i, visitor_id in enumerate(visitors):
            visitor = self.cms[visitor_id]
            # A few have not submitted yet (demo_cm among them, to try it).
            if i % 5 == 4 or visitor.employee_no == "demo_cm":
                continue
            submission = submissions.submit_month(actor=visitor, month=last)
            if i % 5 != 3:  # and a few wait for the leader
                approve_all(_request_for(submission))
            self.counts["months"] += 1

    def plans_and_overlaps(self) -> None:
        """Each manager plans two or three visits for the coming fortnight;
        in each team one visit of the last month went to a colleague's
        client and was logged after the overlap warning."""
        rng = self.rng
        books: dict[int, list[int]] = defaultdict(list)
        for client_id, manager_id in Client.objects.filter(
            manager_id__in=list(self.cms)
        ).values_list("pk", "manager_id"):
            books[manager_id].append(client_id)
        plans = []
        ahead = calendar.working_days(self.today, self.today + dt.timedelta(days=14))
        for cm in self.cms.values():
            book = books.get(cm.pk)
            if not book or not ahead:
                continue
            for client_id in rng.sample(book, min(len(book), rng.randint(2, 3))):
                p = VisitPlan(
                    client_id=client_id,
                    manager_id=cm.pk,
                    planned_on=rng.choice(ahead),
                    mode=rng.choice((VisitMode.ONSITE, VisitMode.ONSITE, VisitMode.PHONE)),
                    purpose=rng.choice(("季度回访", "产品推介", "了解资金安排", "督办结果回访")),
                )
                p.stamp_from(cm)
                plans.append(p)
        bulk_create_with_history(plans, VisitPlan, batch_size=BATCH)
        self.counts["plans"] = len(plans)

        warnings = []
        recent = self.today - dt.timedelta(days=30)
        seen_teams = set()
        latest = sorted(
            (row for row in self.visit_rows if row[3] >= recent), key=lambda row: row[3]
        )
        for _pk, visitor_id, _client, day, v in reversed(latest):
            visitor = self.cms[visitor_id]
            if visitor.team_id in seen_teams:
                continue
            mates = [
                m
                for m in self.ctx.data["cms_by_team"].get(visitor.team_id, [])
                if m.pk != visitor_id and books.get(m.pk)
            ]
            if not mates:
                continue
            seen_teams.add(visitor.team_id)
            mate = rng.choice(mates)
            other = Client.objects.only("pk", "name").get(pk=rng.choice(books[mate.pk]))
            message = f"客户{other.name}归属{mate.name}"
            Visit.objects.filter(pk=v.pk).update(client_id=other.pk, overlap_note=message)
            v.client_id, v.overlap_note = other.pk, message
            w = OverlapWarning(
                kind=OverlapWarning.Kind.OWNED,
                client_id=other.pk,
                visit_id=v.pk,
                person_id=visitor_id,
                on_date=day,
                other_person_id=mate.pk,
                message=message,
                branch_id=visitor.branch_id,
                team_id=visitor.team_id,
                other_team_id=mate.team_id,
            )
            warnings.append(w)
        OverlapWarning.objects.bulk_create(warnings)

    def reports(self) -> None:
        """Last quarter's report of every team of the first branch, drafted
        by its leader with an analysis and a rating; the first submitted."""
        if self.ctx.scale != "small":
            return
        from visits.services import reports

        year, quarter = rules.quarter_of(self.today)
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        branch = self.ctx.data["branches"][0]
        teams = [t for t in self.ctx.data["teams"] if t.branch_id == branch.pk]
        for i, team in enumerate(teams):
            leader = self.ctx.data["leaders"].get(team.pk)
            if leader is None:
                continue
            report = reports.draft_report(actor=leader, year=year, quarter=quarter, team=team)
            report = reports.update_report(
                actor=leader,
                report=report,
                analysis=(
                    "本季度团队走访覆盖核心客户，上门走访占比过半；客户诉求集中在交易软件"
                    "和佣金方面，已逐项转办。个别一般客户走访间隔偏长，下季度重点补访。"
                ),
                rating="good",
                rating_note="督办事项基本按期办结，并及时告知客户。",
                measures="每周例会通报逾期督办事项；逾期未访客户纳入下月走访计划。",
            )
            if i == 0:
                reports.submit_report(actor=leader, report=report)


def _owner_on(owners: dict, client_id: int, day: dt.date, *, default: int) -> int:
    """Who owned the client on ``day`` (its assignment in force then)."""
    owner = default
    for start, end, manager_id in owners.get(client_id, ()):
        if start <= day and (end is None or day < end):
            owner = manager_id
    return owner


def _request_for(subject):
    from approvals.selectors import request_for

    return request_for(subject)
