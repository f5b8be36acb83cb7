"""Demo data for the meetings chapter: months of morning, weekly and monthly
meetings with their roll calls, problems, competitors' moves and action
items carried over until done — and some misses, so the compliance pages and
the home page have something to show. Written in bulk (the services refuse
meetings older than seven days, as they should)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from simple_history.utils import bulk_create_with_history

from meetings import rules, selectors
from meetings.crosscheck import attendance_facts
from meetings.models import (
    AbsenceReason,
    ActionItem,
    ActionReview,
    ActionStatus,
    CompetitorNote,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    MeetingProblem,
)
from portal.demo import DemoContext
from staff import calendar
from staff.models import Posting, Team

MARKET = (
    "隔夜美股三大指数收涨，A50 期指小幅走高，预计今日 A 股高开震荡，关注券商、半导体板块。",
    "昨日两市成交额破万亿，北向资金净流入，市场情绪回暖，提醒客户控制仓位、分批建仓。",
    "央行开展逆回购操作，资金面宽松；债市震荡，固收类产品适合稳健型客户。",
    "外围市场波动加大，今日预计低开，提示客户不追涨杀跌，关注高股息品种。",
    "周末政策利好频出，市场预期改善，今日关注消费、新能源板块的轮动机会。",
)
NEWS = (
    "公司新一期收益凭证本周三起认购，起购 5 万元，期限 182 天。",
    "传达公司季度经营会议精神：聚焦财富管理转型，提高客户资产规模。",
    "两融业务利率优惠活动延长至月底，符合条件的客户可申请。",
    "公司上线新版手机交易软件，请大家先熟悉新功能再向客户介绍。",
    "本月重点任务：基金定投推广，每人至少新增 3 户定投客户。",
)
PROGRESS = (
    "昨日团队新开户 {n} 户，引入资产约 {m} 万元；{name}开户 2 户。",
    "本周累计开户 {n} 户，完成周目标的 {p}%；重点客户回访完成 {m} 户。",
    "昨日网点驻点接待客户 {n} 人次，意向客户 {m} 户待跟进。",
)
CASES = (
    "{name}分享：通过代发工资客户名单，成功将 2 位客户转化为定投客户。",
    "{name}分享：一位老客户因收益不满想转户，经过耐心沟通资产配置，留住了客户。",
    "{name}分享：在银行网点举办理财讲座，现场开户 3 户的经验。",
    "案例学习：如何向首次开户的客户讲解风险测评。",
)
MORALE = (
    "表扬{name}上周开户数第一！今日目标：每人拜访 3 位客户。",
    "喊口号：专业创造价值，服务赢得信赖！",
    "离月度目标还差 {n} 户，大家加油冲刺！",
    "天气转凉，外出拜访注意安全。今天也要元气满满！",
)
WEEK_MINUTES = (
    "本周团队开户 {n} 户，净收入完成周目标的 {p}%。网点驻点效果好于电话营销，下周继续加强驻点。",
    "本周开户 {n} 户，客户资产净流入约 {m} 万元。部分组员客户回访不足，需要加强。",
    "本周市场活跃，新开户 {n} 户。两融业务推广进展缓慢，讨论了改进办法。",
)
MONTH_MINUTES = (
    "本月累计开户 {n} 户，完成月度目标的 {p}%；净收入完成 {q}%。各小组汇报了本月工作和下月计划。",
    "本月开户 {n} 户，低于目标；分析原因：市场波动、网点客流减少。下月加强社区和企业营销。",
)
PROBLEMS = (
    ("部分客户开户审核时间较长", "与营业部运营岗沟通，集中在上午提交资料", True),
    ("合作银行网点客流下降", "改为在社区和企业开展讲座", True),
    ("新人对两融业务不熟悉", "安排小组长一对一辅导", False),
    ("客户对佣金比较敏感", "突出投顾服务和研究报告价值，避免价格战", False),
    ("电话回访接通率低", "改到下午三点以后集中回访", True),
)
COMPETITORS = (
    ("某某证券", "在同一银行网点驻点，开户送礼品", "网点员工"),
    ("某大型券商营业部", "推出万一免五佣金活动", "客户反映"),
    ("某银行理财子公司", "发行年化 3.5% 的短期理财产品，分流客户资金", "银行客户经理"),
    ("某互联网券商", "在社交平台投放开户广告，主打线上开户", "客户反映"),
    ("某某证券", "在社区举办养老理财讲座", "社区居委会"),
)
ACTIONS = (
    "联系社区居委会，安排下周理财讲座",
    "整理本月意向客户名单并分配跟进人",
    "回访资产 50 万元以上的客户",
    "准备收益凭证宣传材料",
    "与合作银行商定驻点时间表",
    "辅导新人完成两融业务学习",
    "统计竞争对手优惠活动，报营业部",
)
REASONS = (
    (AbsenceReason.LEAVE, 40, "请假"),
    (AbsenceReason.OUTING, 30, "早上直接去拜访客户"),
    (AbsenceReason.BUSINESS, 15, "参加营业部培训"),
    (AbsenceReason.LATE, 10, "路上堵车"),
    (AbsenceReason.UNEXCUSED, 5, ""),
)


class _Builder:
    def __init__(self, ctx: DemoContext, teams: list[Team], start: dt.date):
        self.ctx = ctx
        self.rng = ctx.rng
        self.teams = teams
        self.start = start
        self.today = ctx.today
        self.postings: dict[int, list[Posting]] = defaultdict(list)
        for posting in Posting.objects.filter(team__in=teams).select_related("user"):
            self.postings[posting.team_id].append(posting)
        self.working = set(
            calendar.working_days(start - dt.timedelta(days=7), rules.month_end(self.today))
        )
        self.meetings: list[Meeting] = []
        self.rolls: dict[int, list[MeetingAttendee]] = {}
        self.extras: dict[int, dict] = {}
        self.progress: dict[tuple[int, int], dict] = {}

    def pick(self, options):
        return self.rng.choice(options)

    def members(self, team: Team, day: dt.date):
        return sorted(
            (
                p.user
                for p in self.postings[team.pk]
                if p.valid_from <= day and (p.valid_to is None or day < p.valid_to)
            ),
            key=lambda u: u.employee_no,
        )

    def fill(self, text: str, people) -> str:
        name = self.pick(people).name if people else "小王"
        return text.format(
            n=self.rng.randint(2, 15),
            m=self.rng.randint(20, 300),
            p=self.rng.randint(60, 120),
            q=self.rng.randint(60, 120),
            name=name,
        )

    def roll(self, people, facts=None) -> list[MeetingAttendee]:
        """Mostly present; those on approved leave that day absent for it
        (small scale reads the day's attendance, as the form prefills it)."""
        lines = []
        weights = [w for _r, w, _n in REASONS]
        facts = facts or {}
        for person in people:
            fact = facts.get(person.pk)
            if fact is not None and fact.full_day_leave:
                lines.append(
                    MeetingAttendee(
                        person=person,
                        present=False,
                        reason=AbsenceReason.LEAVE,
                        note=fact.leave_label,
                    )
                )
            elif fact is not None and fact.late and self.rng.random() < 0.5:
                lines.append(
                    MeetingAttendee(
                        person=person, present=False, reason=AbsenceReason.LATE, note="迟到"
                    )
                )
            elif self.rng.random() < 0.05:
                reason, _w, note = self.rng.choices(REASONS, weights=weights)[0]
                unbacked = fact is not None and (
                    (reason == AbsenceReason.OUTING and not fact.outing)
                    or (reason == AbsenceReason.LEAVE and not fact.leave_label)
                    or (reason == AbsenceReason.LATE and not fact.late)
                )
                if unbacked:  # keep the demo's roll consistent with its attendance
                    reason, note = AbsenceReason.BUSINESS, "参加营业部培训"
                lines.append(
                    MeetingAttendee(person=person, present=False, reason=reason, note=note)
                )
            else:
                lines.append(MeetingAttendee(person=person, present=True))
        return lines

    def add(self, team: Team, kind: str, day: dt.date, period: dt.date, host, recorder, **content):
        people = self.members(team, day)
        meeting = Meeting(
            team=team,
            branch_id=team.branch_id,
            kind=kind,
            date=day,
            period_start=period,
            start_time=dt.time(8, 30) if kind == MeetingKind.MORNING else dt.time(16, 30),
            place="营业部会议室" if team.holds_morning_meetings else "合作银行网点会议室",
            host=host,
            recorded_by=recorder,
            **content,
        )
        if kind != MeetingKind.MORNING:
            month = selectors.progress_month(kind, day, period)
            key = (team.pk, month.year)
            if key not in self.progress:
                self.progress[key] = selectors.team_progress(team, month.year)
            meeting.progress_snapshot = selectors.progress_snapshot(self.progress[key], month)
        self.meetings.append(meeting)
        facts = None
        if self.ctx.scale == "small":
            facts = attendance_facts(team, day)
        self.rolls[id(meeting)] = self.roll(people, facts)
        return meeting, people

    # -- per kind --------------------------------------------------------------------

    def mornings(self, team: Team, leader, recorder, miss: float) -> None:
        day = self.start
        while day < self.today:
            if day in self.working and self.rng.random() >= miss:
                people = self.members(team, day)
                host = self.pick(people) if people else leader
                self.add(
                    team,
                    MeetingKind.MORNING,
                    day,
                    day,
                    host,
                    recorder,
                    market=self.pick(MARKET),
                    company_news=self.pick(NEWS),
                    progress_report=self.fill(self.pick(PROGRESS), people),
                    case_study=self.fill(self.pick(CASES), people),
                    morale=self.fill(self.pick(MORALE), people),
                )
            day += dt.timedelta(days=1)

    def summaries(self, team: Team, leader, recorder, miss_weekly: float, miss_month) -> None:
        slots = []
        for monday in rules.weeks_between(self.start, self.today):
            worked = [
                d for d in (monday + dt.timedelta(days=i) for i in range(7)) if d in self.working
            ]
            # Held on the week's last working day; this week's is still due.
            if worked and worked[-1] < self.today and self.rng.random() >= miss_weekly:
                slots.append((worked[-1], MeetingKind.WEEKLY, monday))
        for first in rules.months_between(self.start, self.today):
            last = rules.month_end(first)
            worked = sorted(d for d in self.working if first <= d <= last)
            # Held on the month's last working day; this month's is still due.
            if first != miss_month and worked and worked[-1] < self.today:
                slots.append((worked[-1], MeetingKind.MONTHLY, first))
        open_items: list[ActionItem] = []
        for day, kind, period in sorted(slots, key=lambda s: (s[0], s[1] == MeetingKind.MONTHLY)):
            texts = MONTH_MINUTES if kind == MeetingKind.MONTHLY else WEEK_MINUTES
            people = self.members(team, day)
            meeting, people = self.add(
                team,
                kind,
                day,
                period,
                leader,
                recorder,
                agenda="一、工作进度回顾；二、问题与解决；三、竞争对手动态；四、下阶段安排",
                minutes=self.fill(self.pick(texts), people),
                progress_review=self.fill(self.pick(PROGRESS), people),
                method_changes=self.pick(
                    ("", "外出拜访前先电话预约，提高拜访效率。", "驻点改为上午十点到下午三点。")
                ),
                decisions=self.pick(
                    ("下周在网点举办一场理财讲座。", "每人每天至少电话回访 5 位客户。", "")
                ),
            )
            reviews = []
            for item in list(open_items):
                if item.due_date < day and self.rng.random() < 0.75:
                    item.status, item.closed_on = ActionStatus.DONE, day
                    item.progress_note = self.pick(("按期完成", "已落实", "已办结，效果良好"))
                    open_items.remove(item)
                elif item.status == ActionStatus.OPEN and self.rng.random() < 0.5:
                    item.status, item.progress_note = ActionStatus.IN_PROGRESS, "正在推进"
                reviews.append((item, item.status, item.progress_note))
            candidates = [p for p in people if p.pk != leader.pk] or people
            new_items = [
                ActionItem(
                    team=team,
                    branch_id=team.branch_id,
                    description=self.pick(ACTIONS),
                    owner=self.pick(candidates),
                    due_date=day + dt.timedelta(days=self.rng.choice((5, 7, 10, 14))),
                    status=ActionStatus.OPEN,
                    updated_by=leader,
                )
                for _ in range(self.rng.randint(1, 2))
            ]
            open_items += new_items
            problems = [
                MeetingProblem(description=d, solution=s, solved=ok)
                for d, s, ok in self.rng.sample(PROBLEMS, self.rng.randint(0, 2))
            ]
            competitors = [
                CompetitorNote(
                    team=team,
                    branch_id=team.branch_id,
                    date=day,
                    competitor=c,
                    action=a,
                    source=s,
                )
                for c, a, s in self.rng.sample(COMPETITORS, self.rng.randint(0, 2))
            ]
            self.extras[id(meeting)] = {
                "items": new_items,
                "reviews": reviews,
                "problems": problems,
                "competitors": competitors,
            }

    # -- writing -------------------------------------------------------------------------

    def save(self) -> dict[str, int]:
        bulk_create_with_history(self.meetings, Meeting, batch_size=1000)
        attendees, items, reviews, problems, competitors = [], [], [], [], []
        for meeting in self.meetings:
            for line in self.rolls[id(meeting)]:
                line.meeting = meeting
                attendees.append(line)
            extra = self.extras.get(id(meeting))
            if not extra:
                continue
            for item in extra["items"]:
                item.meeting = meeting
                items.append(item)
            for problem in extra["problems"]:
                problem.meeting = meeting
                problems.append(problem)
            for note in extra["competitors"]:
                note.meeting = meeting
                competitors.append(note)
        MeetingAttendee.objects.bulk_create(attendees, batch_size=5000)
        MeetingProblem.objects.bulk_create(problems, batch_size=2000)
        CompetitorNote.objects.bulk_create(competitors, batch_size=2000)
        bulk_create_with_history(items, ActionItem, batch_size=2000)
        for meeting in self.meetings:
            extra = self.extras.get(id(meeting))
            if extra:
                reviews += [
                    ActionReview(meeting=meeting, item=item, status=status, note=note)
                    for item, status, note in extra["reviews"]
                ]
        ActionReview.objects.bulk_create(reviews, batch_size=5000)
        return {
            "meetings": len(self.meetings),
            "attendees": len(attendees),
            "items": len(items),
            "competitors": len(competitors),
        }


def seed(ctx: DemoContext) -> None:
    teams = [t for t in ctx.data["teams"] if t.status == Team.Status.ACTIVE]
    if ctx.scale == "small":
        start = rules.previous_month(rules.previous_month(rules.previous_month(ctx.today)))
    else:
        start = ctx.today - dt.timedelta(days=42)
    builder = _Builder(ctx, teams, start)
    skipped_month = rules.previous_month(rules.previous_month(ctx.today))
    for i, team in enumerate(teams):
        leader = ctx.data["leaders"][team.pk]
        cms = ctx.data["cms_by_team"].get(team.pk, [])
        recorder = cms[1] if len(cms) > 1 else leader
        if team.holds_morning_meetings:
            builder.mornings(team, leader, recorder, miss=0.06 if i else 0.04)
        builder.summaries(
            team,
            leader,
            recorder,
            miss_weekly=0.1,
            miss_month=skipped_month if i % 4 == 1 else None,
        )
    counts = builder.save()
    ctx.say(
        f"  例会：{counts['meetings']} 次（点名 {counts['attendees']} 人次），"
        f"待办事项 {counts['items']} 项，竞争对手信息 {counts['competitors']} 条"
    )
