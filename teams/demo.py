"""Demo data for the teams chapter: approved plans (through the real
countersign flow at small scale), target splits, months of work logs, a
spot-check, duties, a report and one-to-one notes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals import services as approvals
from approvals.walk import approve_all
from portal.demo import DemoContext
from staff import calendar
from staff.models import Team, User
from teams import services
from teams.models import (
    SPLIT_METRICS,
    FilingKind,
    FilingStatus,
    Metric,
    TargetCell,
    TargetSplit,
    TeamFiling,
    Verdict,
    WorkLog,
)
from teams.selectors import split_members

DONE = (
    "上午在{outlet}驻点，接待到访客户{n}位，讲解两融业务和新发基金。",
    "电话回访存量客户{n}户，了解持仓情况，提示近期市场波动风险。",
    "拜访{client}，沟通资产配置需求，约定下周再次面谈。",
    "参加营业部晨会，学习新产品要点；下午在银行网点开展理财讲座，到场{n}人。",
    "协助{client}办理开户及风险测评，讲解交易软件使用。",
    "整理本周意向客户名单，跟进{n}位潜在客户。",
)
PLANS = (
    "继续跟进意向客户，争取完成开户。",
    "到合作银行网点驻点，配合银行开展营销活动。",
    "回访高净值客户，推荐固收类产品。",
    "参加团队周例会，汇报本周进展。",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _plan_numbers(ctx: DemoContext, size: int) -> dict:
    accounts = size * ctx.rng.choice((60, 80, 100))
    return {
        "target_new_accounts": accounts,
        "target_net_revenue": Decimal(accounts * ctx.rng.choice((3000, 4000, 5000))),
        "target_client_assets": Decimal(accounts * 500_000),
    }


def _split_cells(ctx: DemoContext, plan: TeamFiling, people: list[User]) -> dict:
    """An even split with the remainders on the first people and months."""
    cells: dict[tuple[int, int, str], Decimal] = {}
    if not people:
        return cells
    for metric, field in SPLIT_METRICS.items():
        whole = Decimal(getattr(plan, field))
        if metric == Metric.CLIENT_ASSETS:
            share = (whole / len(people)).quantize(Decimal("0.01"))
            for i, person in enumerate(people):
                cells[(person.pk, 12, metric)] = share if i else whole - share * (len(people) - 1)
            continue
        unit = Decimal("1") if metric == Metric.NEW_ACCOUNTS else Decimal("0.01")
        slots = [(p.pk, m) for p in people for m in range(1, 13)]
        share = (whole / len(slots)).quantize(unit, rounding="ROUND_DOWN")
        rest = whole - share * len(slots)
        for i, (pid, month) in enumerate(slots):
            extra = unit if rest >= unit * (i + 1) else Decimal("0")
            cells[(pid, month, metric)] = share + extra
    for person in people:
        for month in range(1, 13):
            cells[(person.pk, month, Metric.SALES)] = Decimal(ctx.rng.choice((10000, 15000, 20000)))
    return cells


def _leader(ctx: DemoContext, team: Team) -> User:
    return ctx.data["leaders"][team.pk]


def _small(ctx: DemoContext) -> None:
    year = ctx.today.year
    for team in ctx.data["teams"]:
        leader = _leader(ctx, team)
        people = list(split_members(team))
        rules = services.create_rules_filing(
            actor=leader,
            team=team,
            title=f"{team.name}管理及薪酬标准实施细则",
            content="一、考勤按营业部制度执行，迟到早退按次扣减考核分。\n二、提成按所辖客户净收入的 8% 计提，按月发放。\n三、见习期三个月，期满考核定级。",
        )
        approve_all(
            approvals.submit_request(actor=leader, subject=rules, flow_code=rules.flow_code)
        )
        plan = services.create_filing(
            actor=leader,
            team=team,
            kind=FilingKind.ANNUAL_PLAN,
            year=year,
            title=f"{year} 年度工作计划",
            content="一、市场分析：辖区居民金融资产持续增长，合作银行网点客流稳定。\n二、工作思路：以网点驻点和客户回访为主，深耕存量、拓展增量。\n三、主要措施：每周两次网点讲座，每月一次客户沙龙。",
            **_plan_numbers(ctx, len(people)),
        )
        approve_all(approvals.submit_request(actor=leader, subject=plan, flow_code=plan.flow_code))
        plan.refresh_from_db()
        services.save_target_split(
            actor=leader, plan=plan, cells=_split_cells(ctx, plan, people), note="年初分解"
        )
        marketing = services.create_filing(
            actor=leader,
            team=team,
            kind=FilingKind.MARKETING,
            year=year,
            title=f"{year} 年本地市场营销方案",
            content="依托合作银行网点，开展“理财进社区”系列活动；针对代发工资客户推广定投。",
        )
        approve_all(
            approvals.submit_request(actor=leader, subject=marketing, flow_code=marketing.flow_code)
        )
        bank = next(
            (
                o.partner_bank
                for o in ctx.data["outlets"]
                if o.branch_id == team.branch_id and o.partner_bank_id
            ),
            None,
        )
        if bank is not None:
            coop = services.create_filing(
                actor=leader,
                team=team,
                kind=FilingKind.COOPERATION,
                year=year,
                partner_bank=bank,
                term_start=dt.date(year, 1, 1),
                term_end=dt.date(year, 12, 31),
                title=f"与{bank.name}{year} 年营销合作方案",
                content="双方在网点设置证券服务专区；银行推荐有投资需求的客户；佣金分成按协议执行。",
            )
            services.attach_to_filing(
                actor=leader,
                filing=coop,
                upload=SimpleUploadedFile("合作协议（双方盖章）.pdf", PDF),
            )
            approve_all(
                approvals.submit_request(actor=leader, subject=coop, flow_code=coop.flow_code)
            )
        assessment = services.create_filing(
            actor=leader,
            team=team,
            kind=FilingKind.ASSESSMENT,
            year=year,
            effective_from=dt.date(year, 1, 1),
            title=f"{year} 年客户经理考核办法",
            content="一、按月考核新开户数、净收入和客户资产，权重分别为 30%、50%、20%。\n二、工作日志按团队抽查结果计入日常管理分。\n三、连续两个季度完成率低于 60% 的，进行约谈并制定改进计划。",
        )
        approve_all(
            approvals.submit_request(
                actor=leader, subject=assessment, flow_code=assessment.flow_code
            )
        )
        recruitment = services.create_filing(
            actor=leader,
            team=team,
            kind=FilingKind.RECRUITMENT,
            year=year,
            headcount=3,
            title=f"{year} 年人员招聘计划",
            content="招聘证券经纪人 3 名，要求具备证券从业资格，优先录用有银行网点工作经验者。",
        )
        # Left in the middle of the countersign, so the flow shows in progress.
        approve_all(
            approvals.submit_request(
                actor=leader, subject=recruitment, flow_code=recruitment.flow_code
            ),
            stop_before=4,
        )
    _work_logs(ctx, days=45)
    _team_a_extras(ctx)


def _large(ctx: DemoContext) -> None:
    """Approved plans and splits for every team, written in bulk."""
    year = ctx.today.year
    now = timezone.now()
    plans = []
    for team in ctx.data["teams"]:
        size = len(ctx.data["cms_by_team"].get(team.pk, [])) + 1
        plans.append(
            TeamFiling(
                team=team,
                branch_id=team.branch_id,
                kind=FilingKind.ANNUAL_PLAN,
                year=year,
                series=f"{FilingKind.ANNUAL_PLAN}:{year}:",
                version=1,
                title=f"{year} 年度工作计划",
                content="年度工作计划（演示数据）。",
                status=FilingStatus.APPROVED,
                approved_at=now,
                prepared_by=_leader(ctx, team),
                **_plan_numbers(ctx, size),
            )
        )
    TeamFiling.objects.bulk_create(plans, batch_size=500)
    splits, cells = [], []
    for plan in plans:
        splits.append(
            TargetSplit(
                plan=plan,
                team=plan.team,
                branch_id=plan.branch_id,
                year=year,
                created_by=plan.prepared_by,
                note="年初分解",
            )
        )
    TargetSplit.objects.bulk_create(splits, batch_size=500)
    for plan, split in zip(plans, splits, strict=True):
        people = [*ctx.data["cms_by_team"].get(plan.team_id, [])]
        for (pid, month, metric), value in _split_cells(ctx, plan, people).items():
            cells.append(
                TargetCell(split=split, person_id=pid, month=month, metric=metric, value=value)
            )
    TargetCell.objects.bulk_create(cells, batch_size=5000)
    _work_logs(ctx, days=20)


def _work_logs(ctx: DemoContext, *, days: int) -> None:
    """Work logs for the last working days; about one day in twelve missed."""
    start = ctx.today - dt.timedelta(days=int(days * 1.5))
    working = list(calendar.working_days(start, ctx.today - dt.timedelta(days=1)))[-days:]
    outlets = {o.pk: o for o in ctx.data["outlets"]}
    logs = []
    for cm in ctx.data["cms"]:
        if cm.status != User.Status.ACTIVE:
            continue
        for day in working:
            if day < cm.hired_on or ctx.rng.random() < 0.08:
                continue
            text = ctx.rng.choice(DONE).format(
                outlet=outlets[cm.outlet_id].name if cm.outlet_id else "营业部",
                n=ctx.rng.randint(2, 9),
                client=ctx.person_name() + ("先生" if ctx.rng.random() < 0.5 else "女士"),
            )
            logs.append(
                WorkLog(
                    person=cm,
                    date=day,
                    branch_id=cm.branch_id,
                    team_id=cm.team_id,
                    group_id=cm.group_id,
                    outlet_id=cm.outlet_id,
                    done=text,
                    contacts="",
                    plan_tomorrow=ctx.rng.choice(PLANS),
                )
            )
    WorkLog.objects.bulk_create(logs, batch_size=5000)
    ctx.say(f"  工作日志：{len(logs)} 份")


def _team_a_extras(ctx: DemoContext) -> None:
    team = ctx.data["teams"][0]
    leader = _leader(ctx, team)
    members = list(split_members(team))
    last_month_end = ctx.today.replace(day=1) - dt.timedelta(days=1)
    check = services.draw_spot_check(
        actor=leader,
        team=team,
        period_start=last_month_end.replace(day=1),
        period_end=last_month_end,
        sample_percent=10,
        seed=20261127,
        note="月度例行抽查",
    )
    for i, item in enumerate(check.items.all()):
        if i % 4 == 3:
            continue  # some still to be checked
        verdict = Verdict.GOOD if i % 5 else Verdict.IMPROVE
        services.record_verdict(
            actor=leader,
            item=item,
            verdict=verdict,
            comment="" if verdict == Verdict.GOOD else "客户联系情况记录过简，请写明沟通要点。",
        )
    start = ctx.today.replace(month=1, day=1)
    duties = ("develop", "serve", "outlet")
    for i, person in enumerate(members):
        services.set_duty(
            actor=leader, team=team, person=person, duty=duties[i % 3], valid_from=start
        )
    developers = [m for i, m in enumerate(members) if i % 3 == 0]
    servicers = [m for i, m in enumerate(members) if i % 3 == 1]
    for dev, ser in zip(developers, servicers, strict=False):
        services.pair_members(
            actor=leader, team=team, developer=dev, servicer=ser, valid_from=start
        )
    report = services.draft_report(
        actor=leader,
        team=team,
        period="month",
        year=last_month_end.year,
        number=last_month_end.month,
    )
    services.update_report(
        actor=leader,
        report=report,
        analysis="本月团队新开户与净收入基本达到分解目标。网点驻点带来的开户占比提高，但存量客户回访不足，部分客户资产流出。",
        measures="下月加强高净值客户回访；在合作银行网点增加两场投资讲座。",
    )
    if members:
        services.write_note(
            actor=leader,
            member=members[0],
            date=ctx.today - dt.timedelta(days=7),
            topic="月度工作交流",
            content="肯定了本月开户成绩；提醒日志要写明客户沟通要点。",
            follow_up="下月抽查其日志。",
        )


def seed(ctx: DemoContext) -> None:
    if ctx.scale == "small":
        _small(ctx)
    else:
        _large(ctx)
    ctx.say(
        f"  团队文件：{TeamFiling.objects.count()} 份，目标分解 {TargetSplit.objects.count()} 份"
    )
