"""Demo pay: settings, approved standards, CRM months, duty assessments,
tax inputs and computed past months."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from approvals.selectors import request_for
from approvals.walk import approve_all
from clients.demo import seed_crm_months
from payroll import services
from payroll.models import DutyItem, PayrollSettings, PayStandard, PayStandardLine
from portal.demo import DemoContext
from staff.models import Level, User

BRACKETS = [["30000", "0.04"], ["80000", "0.06"], [None, "0.08"]]
BASE = {"L1": 2500, "L2": 3000, "L3": 3500, "L4": 4000, "L5": 5000}


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    month = today.replace(day=1)
    out = []
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        out.append(month)
    return sorted(out)


def _line_values(level: Level, employment_type: str) -> dict:
    full = employment_type == User.EmploymentType.FULL_TIME
    return {
        "base_pay": Decimal(BASE.get(level.code, 3000) if full else 0),
        "account_bonus": Decimal("150") + 50 * level.rank,
        "valid_account_min_assets": Decimal("10000"),
        "commission_brackets": BRACKETS,
        "assets_permille": Decimal("0.05"),
        "late_deduction": Decimal("30") if full else Decimal("0"),
    }


def seed(ctx: DemoContext) -> None:
    branches = ctx.data["branches"]
    levels = list(Level.objects.order_by("rank"))
    first = dt.date(ctx.today.year - 1, 1, 1)
    finance = {}
    for branch in branches:
        PayrollSettings.objects.create(branch=branch, effective_month=first)
        fin = (
            User.objects.filter(branch=branch, role_assignments__role="finance")
            .order_by("employee_no")
            .first()
        )
        finance[branch.pk] = fin
        if ctx.scale == "small":
            standard = services.create_standard(
                actor=fin,
                branch=branch,
                effective_month=first,
                title=f"{branch.name}客户经理薪酬标准",
            )
            for level in levels:
                for kind in User.EmploymentType.values:
                    services.set_standard_line(
                        actor=fin,
                        standard=standard,
                        level=level,
                        employment_type=kind,
                        **_line_values(level, kind),
                    )
            approve_all(services.submit_standard(actor=fin, standard=standard))
        else:
            standard = PayStandard.objects.create(
                branch=branch,
                effective_month=first,
                version=1,
                title=f"{branch.name}客户经理薪酬标准",
                prepared_by=fin,
                status=PayStandard.Status.APPROVED,
            )
            PayStandardLine.objects.bulk_create(
                [
                    PayStandardLine(
                        standard=standard,
                        level=level,
                        employment_type=kind,
                        **_line_values(level, kind),
                    )
                    for level in levels
                    for kind in User.EmploymentType.values
                ]
            )
    if ctx.scale == "small":
        months = [dt.date(ctx.today.year, m, 1) for m in range(1, ctx.today.month)]
        computed = months
    else:
        months = _months_back(ctx.today, 12)
        computed = months[-1:]
    seed_crm_months(ctx, months)
    items = list(DutyItem.objects.filter(is_active=True))
    leaders = ctx.data["leaders"]
    for month in computed:
        for cm in ctx.data["cms"]:
            if cm.status != User.Status.ACTIVE or (ctx.scale == "large" and ctx.rng.random() < 0.9):
                continue
            points = {
                item.pk: Decimal(
                    ctx.rng.randint(int(item.max_points * 7 / 10), int(item.max_points))
                )
                for item in items
            }
            services.assess_duty(
                actor=leaders[cm.team_id],
                person=cm,
                month=month,
                points=points,
                note="" if sum(points.values()) >= 90 else "日志质量有待提高",
            )
    if ctx.scale == "small":
        for i, cm in enumerate(ctx.data["cms"]):
            if i % 3 == 0 and cm.status == User.Status.ACTIVE:
                for month in computed:
                    services.set_special_deduction(
                        actor=finance[cm.branch_id],
                        person=cm,
                        month=month,
                        kind="children",
                        amount=Decimal("2000"),
                    )
        bonus_month = computed[0]
        for cm in ctx.data["cms"][:6]:
            services.add_other_payment(
                actor=finance[cm.branch_id],
                person=cm,
                month=bonus_month,
                kind="annual_bonus",
                amount=Decimal(ctx.rng.choice((12000, 24000, 36000))),
                description=f"{bonus_month.year - 1} 年度奖金",
            )
    runs = signed = 0
    for branch in branches:
        for month in computed:
            run = services.compute_payroll(actor=finance[branch.pk], branch=branch, month=month)
            runs += 1
            if ctx.scale != "small" or run.problems:
                continue
            sheet = services.submit_sheet(actor=finance[branch.pk], run=run)
            # The last month is still being signed; the earlier ones are filed.
            approve_all(request_for(sheet), stop_before=3 if month == computed[-1] else None)
            signed += month != computed[-1]
    if ctx.scale == "small" and ctx.today.month > 3:
        quarter = (ctx.today.month - 1) // 3  # the last full quarter
        manager = ctx.logins["demo_bm"][0]
        review = services.open_review(
            actor=manager, branch=branches[0], year=ctx.today.year, quarter=quarter
        )
        services.confirm_review(actor=manager, review=review)
    ctx.say(f"  薪酬：{len(branches)} 份薪酬标准，已计算 {runs} 个月份，签批完成 {signed} 份月报表")
