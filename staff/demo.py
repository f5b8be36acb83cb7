"""Demo organisation: branches, outlets at partner banks, teams of both kinds
with three groups each, client managers of several levels, branch staff, HQ
departments, and the documented demo logins (DESIGN: demo data)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal.demo import CITIES, DemoContext
from staff.models import (
    Branch,
    Department,
    Group,
    Level,
    Outlet,
    PartnerBank,
    Posting,
    Role,
    RoleAssignment,
    Team,
    User,
)

BANKS = (
    ("ICBC", "中国工商银行", "工行"),
    ("CCB", "中国建设银行", "建行"),
    ("CMB", "招商银行", "招行"),
    ("PAB", "平安银行", "平安"),
    ("BOC", "中国银行", "中行"),
    ("ABC", "中国农业银行", "农行"),
)
STREETS = (
    "深南",
    "中山",
    "人民",
    "解放",
    "建设",
    "滨海",
    "新华",
    "华强",
    "东风",
    "和平",
    "学府",
    "金融",
)
GROUP_NAMES = ("第一小组", "第二小组", "第三小组")


class _People:
    """Collects users and their postings and roles for one bulk insert."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.users: list[User] = []
        self.roles: list[tuple[User, str, dict, dt.date]] = []
        self.extra_postings: list[tuple[User, dict, dt.date, dt.date, str]] = []

    def add(self, employee_no: str, *, region: str, level: Level | None, **fields) -> User:
        ctx = self.ctx
        birth = ctx.date_between(dt.date(1968, 1, 1), dt.date(2000, 12, 31))
        hired = fields.pop("hired_on", None) or ctx.date_between(
            ctx.today - dt.timedelta(days=6 * 365), ctx.today - dt.timedelta(days=60)
        )
        sac_expiry = ctx.date_between(
            ctx.today - dt.timedelta(days=20), ctx.today + dt.timedelta(days=700)
        )
        user = User(
            employee_no=employee_no,
            name=fields.pop("name", None) or ctx.person_name(),
            password=ctx.password_hash,
            phone=ctx.phone(),
            id_number=ctx.id_number(region, birth),
            bank_account=ctx.bank_account(),
            bank_name=ctx.rng.choice(BANKS)[1],
            sac_no=f"S{ctx.rng.randint(10**12, 10**13 - 1)}",
            sac_expires_on=sac_expiry,
            level=level,
            hired_on=hired,
            status=fields.pop("status", User.Status.ACTIVE),
            **fields,
        )
        self.users.append(user)
        return user

    def role(self, user: User, role: str, since: dt.date | None = None, **unit) -> None:
        self.roles.append((user, role, unit, since))

    def save(self) -> None:
        bulk_create_with_history(self.users, User, batch_size=1000)
        postings = []
        for u in self.users:
            earlier = [p for p in self.extra_postings if p[0] is u]
            start = u.hired_on
            for _, fields, since, until, reason in earlier:
                postings.append(
                    Posting(user=u, valid_from=since, valid_to=until, reason=reason, **fields)
                )
                start = until
            postings.append(
                Posting(
                    user=u,
                    branch=u.branch,
                    department=u.department,
                    team=u.team,
                    group=u.group,
                    outlet=u.outlet,
                    level=u.level,
                    valid_from=start,
                    reason="入职" if start == u.hired_on else "调整网点",
                )
            )
        Posting.objects.bulk_create(postings, batch_size=2000)
        assignments = []
        for user, role, unit, since in self.roles:
            team = unit.get("team")
            group = unit.get("group")
            branch = unit.get("branch")
            if team is not None:
                branch = team.branch
            if group is not None:
                branch = group.team.branch
            assignments.append(
                RoleAssignment(
                    user=user,
                    role=role,
                    team=team,
                    group=group,
                    branch=branch,
                    department=unit.get("department"),
                    valid_from=since or user.hired_on,
                    note="演示数据",
                )
            )
        bulk_create_with_history(assignments, RoleAssignment, batch_size=2000)


def seed(ctx: DemoContext) -> None:
    sizes = ctx.sizes
    rng = ctx.rng
    levels = list(Level.objects.order_by("rank"))
    departments = {d.code: d for d in Department.objects.all()}
    banks = [PartnerBank(code=c, name=n) for c, n, _ in BANKS]
    PartnerBank.objects.bulk_create(banks)
    bank_short = {b.code: short for (_, _, short), b in zip(BANKS, banks, strict=True)}
    founded = ctx.today.replace(month=1, day=1) - dt.timedelta(days=3 * 365)

    branches: list[Branch] = []
    outlets_by_team: dict[int, list[Outlet]] = {}
    all_outlets: list[Outlet] = []
    teams: list[Team] = []
    groups: list[Group] = []
    for b in range(sizes["branches"]):
        city, district, _region = CITIES[b % len(CITIES)]
        branch = Branch(
            code=f"BR{b + 1:02d}",
            name=f"{city}{district}营业部",
            address=f"{city}市{district}区{rng.choice(STREETS)}路{rng.randint(1, 399)}号",
        )
        branches.append(branch)
    Branch.objects.bulk_create(branches)

    for bi, branch in enumerate(branches):
        city, district, _region = CITIES[bi % len(CITIES)]
        branch_outlets = [
            Outlet(
                code=f"{branch.code}-00",
                name=f"{city}{district}营业部本部",
                branch=branch,
                address=branch.address,
                work_start=dt.time(9, 0),
                work_end=dt.time(17, 30),
            )
        ]
        for k in range(1, sizes["teams"] * 2):
            bank = banks[(bi + k) % len(banks)]
            street = STREETS[(bi * 3 + k) % len(STREETS)]
            branch_outlets.append(
                Outlet(
                    code=f"{branch.code}-{k:02d}",
                    name=f"{bank_short[bank.code]}{city}{street}支行网点",
                    branch=branch,
                    partner_bank=bank,
                    address=f"{city}市{street}路{rng.randint(1, 299)}号",
                    work_start=dt.time(8, 30),
                    work_end=dt.time(17, 0),
                )
            )
        all_outlets.extend(branch_outlets)
        for t in range(sizes["teams"]):
            kind = Team.Kind.BRANCH if t % 2 == 0 else Team.Kind.BANK
            label = "营业部" if kind == Team.Kind.BRANCH else "银行渠道"
            ordinal = "" if sizes["teams"] <= 2 else f"第{t // 2 + 1}"
            team = Team(
                code=f"{branch.code}-T{t + 1:02d}",
                name=f"{district}{label}{ordinal}营销团队",
                branch=branch,
                kind=kind,
                status=Team.Status.ACTIVE,
                founded_on=founded,
            )
            teams.append(team)
            outlets_by_team[id(team)] = branch_outlets[2 * t : 2 * t + 2]
    bulk_create_with_history(all_outlets, Outlet)
    bulk_create_with_history(teams, Team)
    for team in teams:
        for name in GROUP_NAMES:
            groups.append(Group(team=team, name=name))
    Group.objects.bulk_create(groups)
    groups_by_team: dict[int, list[Group]] = {}
    for g in groups:
        groups_by_team.setdefault(g.team_id, []).append(g)

    people = _People(ctx)
    cm_levels = levels[:4]
    leader_levels = levels[3:]
    cms: list[User] = []
    leaders: dict[int, User] = {}
    regional: dict[int, User] = {}

    def who(login: str, user: User, description: str) -> User:
        ctx.logins[login] = (user, description)
        return user

    seq = {"n": 0}

    def number(prefix: str) -> str:
        seq["n"] += 1
        return f"{prefix}{seq['n']:05d}"

    for ti, team in enumerate(teams):
        bi = branches.index(team.branch)
        region = CITIES[bi % len(CITIES)][2]
        team_outlets = outlets_by_team[id(team)]
        first_team_of_branch = team.code.endswith("T01")
        team_a = bi == 0 and first_team_of_branch
        leader = people.add(
            "demo_tl" if team_a else number(team.branch.code[2:]),
            region=region,
            level=rng.choice(leader_levels),
            title="团队负责人",
            branch=team.branch,
            team=team,
            outlet=team_outlets[0],
        )
        if team_a:
            who("demo_tl", leader, "团队负责人（A 团队），兼实物管理员")
            people.role(leader, Role.ASSET_KEEPER, team=team)
        leaders[team.pk] = leader
        people.role(leader, Role.TEAM_LEADER, team=team)
        rm = people.add(
            "demo_rm" if team_a else number(team.branch.code[2:]),
            region=region,
            level=rng.choice(leader_levels),
            title="区域经理",
            branch=team.branch,
            team=team,
            outlet=team_outlets[-1],
        )
        if team_a:
            who("demo_rm", rm, "区域经理（A 团队的网点）")
        regional[team.pk] = rm
        people.role(rm, Role.REGIONAL_MANAGER, team=team)
        team_groups = groups_by_team[team.pk]
        for ci in range(sizes["cms"]):
            group = team_groups[ci % len(team_groups)]
            login = None
            if team_a and ci == 0:
                login = "demo_gl"
            elif team_a and ci == 3:
                login = "demo_cm"
            elif team_a and ci == 1:
                login = "demo_rec"
            elif bi == 1 and first_team_of_branch and ci == 3:
                login = "demo_cm2"
            status = User.Status.ACTIVE
            if login is None and ci == sizes["cms"] - 1 and ti % 3 == 1:
                status = User.Status.ONBOARDING
            cm = people.add(
                login or number(team.branch.code[2:]),
                region=region,
                level=rng.choice(cm_levels),
                title="客户经理",
                branch=team.branch,
                team=team,
                group=group,
                outlet=team_outlets[ci % len(team_outlets)],
                employment_type=(
                    User.EmploymentType.PART_TIME
                    if login is None and rng.random() < 0.25
                    else User.EmploymentType.FULL_TIME
                ),
                status=status,
            )
            cms.append(cm)
            if ci < len(team_groups):
                people.role(cm, Role.GROUP_LEADER, group=group)
                cm.title = "小组长"
            if ci == 1:
                people.role(cm, Role.ATTENDANCE_RECORDER, team=team)
            if login == "demo_gl":
                who(login, cm, "小组长（A 团队第一小组）")
            elif login == "demo_rec":
                who(login, cm, "考勤员（A 团队）")
            elif login == "demo_cm":
                who(login, cm, "客户经理（A 团队）")
                # An earlier outlet, so his page shows a posting history.
                moved = ctx.today - dt.timedelta(days=180)
                cm.hired_on = moved - dt.timedelta(days=400)
                people.extra_postings.append(
                    (
                        cm,
                        {
                            "branch": team.branch,
                            "team": team,
                            "group": group,
                            "outlet": team_outlets[-1],
                            "level": cm_levels[0],
                        },
                        cm.hired_on,
                        moved,
                        "入职",
                    )
                )
            elif login == "demo_cm2":
                who(login, cm, "客户经理（另一营业部的团队）")

    # Branch staff: manager, deputy, chief accountant, two finance staff, archive clerk.
    branch_staff = (
        ("bm", Role.BRANCH_MANAGER, "营业部经理"),
        ("dep", Role.DEPUTY_MANAGER, "副经理"),
        ("acct", Role.CHIEF_ACCOUNTANT, "主办会计"),
        ("fin", Role.FINANCE, "财务"),
        ("fin2", Role.FINANCE, "财务（复核）"),
        ("arch", Role.ARCHIVE_CLERK, "交易管理岗"),
    )
    descriptions = {
        "bm": "营业部经理",
        "dep": "副经理",
        "acct": "主办会计",
        "fin": "财务人员",
        "fin2": "第二财务人员（复核）",
        "arch": "交易管理岗（档案）",
    }
    for bi, branch in enumerate(branches):
        region = CITIES[bi % len(CITIES)][2]
        for key, role, title in branch_staff:
            login = f"demo_{key}" if bi == 0 else None
            person = people.add(
                login or number(branch.code[2:]),
                region=region,
                level=None,
                title=title,
                branch=branch,
                outlet=None,
            )
            people.role(person, role, branch=branch)
            if login:
                who(login, person, descriptions[key])

    hq = (
        ("office", Department.Code.OFFICE, "总部经纪业务综合室", "综合室专员", None),
        ("channel", Department.Code.CHANNEL, "总部渠道管理部", "渠道管理专员", None),
        ("compliance", Department.Code.COMPLIANCE, "总部合规部（会签）", "合规专员", None),
        ("hr", Department.Code.HR, "总部人力资源部（会签）", "人力资源专员", None),
        ("vp", None, "主管副总裁", "主管副总裁", Role.VP),
    )
    for key, code, description, title, role in hq:
        person = people.add(
            f"demo_{key}",
            region="110105",
            level=None,
            title=title,
            department=departments[code] if code else None,
        )
        if role == Role.VP:
            people.role(person, Role.VP)
        else:
            people.role(person, Role.HQ_MEMBER, department=departments[code])
        who(f"demo_{key}", person, description)
    # A second member in the two oversight departments, so "any member acts".
    for code in (Department.Code.OFFICE, Department.Code.CHANNEL):
        person = people.add(
            number("90"), region="110105", level=None, title="专员", department=departments[code]
        )
        people.role(person, Role.HQ_MEMBER, department=departments[code])

    people.save()

    for team in teams:
        Outlet.objects.filter(pk__in=[o.pk for o in outlets_by_team[id(team)]]).update(
            regional_manager=regional[team.pk]
        )

    admin = User.objects.create_superuser(
        "admin", password=None, name="系统管理员", status=User.Status.ACTIVE
    )
    admin.password = ctx.password_hash
    admin.save(update_fields=["password"])
    ctx.logins["admin"] = (admin, "超级管理员")

    cms_by_team: dict[int, list[User]] = {}
    for cm in cms:
        cms_by_team.setdefault(cm.team_id, []).append(cm)
    ctx.data.update(
        branches=branches,
        teams=teams,
        groups_by_team=groups_by_team,
        outlets=all_outlets,
        cms=cms,
        cms_by_team=cms_by_team,
        leaders=leaders,
        departments=departments,
        now=timezone.now(),
    )
    ctx.say(
        f"  组织：{len(branches)} 个营业部，{len(teams)} 个团队，{len(groups)} 个小组，"
        f"{len(all_outlets)} 个网点，{len(people.users) + 1} 名人员（客户经理 {len(cms)} 名）"
    )
