"""Computing a branch's pay for a month, line by line (R-5.1–R-5.3).

Everything the month needs is read in a fixed number of queries (people,
standards, settings, CRM figures, assessments, tax inputs, attendance,
asset charges, earlier payslips of the year), then each person's pay is
computed in memory. Each line is rounded half-up to the fen and carries
its inputs and a formula in Chinese; totals are sums of lines.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum

from assets import selectors as assets
from attendance import selectors as attendance
from clients.models import CrmFigure, CrmImport
from clients.selectors import current_import
from payroll import tax
from payroll.models import (
    Adjustment,
    ChargeDeduction,
    DutyAssessment,
    OtherPayment,
    PayrollRun,
    PayrollSettings,
    Payslip,
    PayslipLine,
    PayStandard,
    ScoreBand,
    SpecialDeduction,
)
from staff import calendar
from staff.models import Posting, User

ZERO = Decimal("0")
CAP_SHARE = Decimal("0.20")
Kind = PayslipLine.Kind


def money(value: Decimal) -> str:
    return f"{Decimal(value):,.2f}"


def plain(value: Decimal) -> str:
    """A rate or coefficient without trailing zeros: 0.05, 0.8, 1."""
    return format(Decimal(value).normalize(), "f")


def month_end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


@dataclass
class Line:
    code: str
    label: str
    kind: str
    amount: Decimal
    formula: str = ""
    inputs: dict = field(default_factory=dict)


@dataclass
class PersonPay:
    person: User
    team_id: int | None
    level_id: int | None
    employment_type: str
    standard: PayStandard | None
    lines: list[Line] = field(default_factory=list)
    charges: list[tuple[int, str, Decimal, Decimal]] = field(default_factory=list)
    tax_income: Decimal = ZERO
    tax_special: Decimal = ZERO
    tax_additional: Decimal = ZERO
    tax_withheld: Decimal = ZERO

    def total(self, kind: str) -> Decimal:
        return sum((line.amount for line in self.lines if line.kind == kind), ZERO)

    @property
    def net(self) -> Decimal:
        return (
            self.total(Kind.EARNING)
            - self.total(Kind.DEDUCTION)
            - self.total(Kind.CONTRIBUTION)
            - self.total(Kind.TAX)
        )


@dataclass
class MonthInputs:
    branch: object
    month: dt.date
    crm_import: CrmImport
    settings: PayrollSettings
    standard: PayStandard | None
    lines: dict
    postings: list
    working_days: list[dt.date]
    revenue: dict
    accounts: dict
    coefficients: dict
    bands: list
    special: dict
    others: dict
    adjustments: dict
    attendance: dict
    charges: dict
    deducted_before: dict
    history: dict


def applicable_standard(branch_id: int, month: dt.date) -> PayStandard | None:
    return (
        PayStandard.objects.filter(
            branch_id=branch_id, status=PayStandard.Status.APPROVED, effective_month__lte=month
        )
        .order_by("-effective_month", "-version")
        .first()
    )


def load(branch, month: dt.date) -> MonthInputs:
    """Reads everything the month needs, whatever the number of people."""
    month = month.replace(day=1)
    end = month_end(month)
    crm = current_import(branch.pk, month)
    if crm is None:
        raise ValidationError(f"{month:%Y年%m月}的 CRM 数据尚未导入，不能计算薪酬。")
    if crm.reviewed_at is None:
        raise ValidationError(
            f"{month:%Y年%m月}的 CRM 数据（第 {crm.version} 版）尚未复核，不能计算薪酬。"
        )
    settings = PayrollSettings.objects.for_month(branch.pk, month)
    if settings is None:
        raise ValidationError("本营业部尚未设置薪酬参数（计薪天数、最低工资、社保公积金比例）。")
    standard = applicable_standard(branch.pk, month)
    lines = {}
    if standard is not None:
        lines = {(line.level_id, line.employment_type): line for line in standard.lines.all()}
    # Who is paid: client managers posted in the branch's teams during the month.
    postings = list(
        Posting.objects.filter(branch=branch, team__isnull=False, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=month))
        .exclude(user__status=User.Status.ONBOARDING)
        .select_related("user", "level")
        .order_by("user__employee_no", "-valid_from")
    )
    latest: dict[int, Posting] = {}
    for posting in postings:
        latest.setdefault(posting.user_id, posting)
    people = list(latest.values())
    ids = [p.user_id for p in people]
    revenue = {
        row["manager_id"]: row
        for row in CrmFigure.objects.filter(crm_import=crm, manager_id__in=ids)
        .values("manager_id")
        .annotate(net_revenue=Sum("net_revenue"), assets=Sum("month_end_assets"), rows=Count("id"))
    }
    accounts: dict[int, list] = defaultdict(list)
    for manager_id, assets_value, code in CrmFigure.objects.filter(
        crm_import=crm, manager_id__in=ids, new_account=True
    ).values_list("manager_id", "month_end_assets", "client__crm_code"):
        accounts[manager_id].append((assets_value, code))
    coefficients = {
        a.person_id: a for a in DutyAssessment.objects.filter(month=month, person_id__in=ids)
    }
    bands = list(ScoreBand.objects.order_by("-min_score"))
    special: dict[int, list] = defaultdict(list)
    for item in SpecialDeduction.objects.filter(month=month, person_id__in=ids):
        special[item.person_id].append(item)
    others: dict[int, list] = defaultdict(list)
    for item in OtherPayment.objects.filter(month=month, person_id__in=ids).order_by("id"):
        others[item.person_id].append(item)
    adjustments: dict[int, list] = defaultdict(list)
    for adjustment in Adjustment.objects.filter(month=month, person_id__in=ids).order_by("id"):
        adjustments[adjustment.person_id].append(adjustment)
    figures = {
        f.person.pk: f for f in attendance.month_figures(month.year, month.month, people=ids)
    }
    charges = assets.charges_up_to(month.year, month.month, branch=branch)
    deducted_before: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for incident_id, total in (
        ChargeDeduction.objects.filter(
            payslip__run__status=PayrollRun.Status.CURRENT, payslip__month__lt=month
        )
        .values("incident_id")
        .annotate(total=Sum("deducted"))
        .values_list("incident_id", "total")
    ):
        deducted_before[incident_id] = total
    history: dict[int, dict] = defaultdict(
        lambda: {"income": ZERO, "special": ZERO, "additional": ZERO, "withheld": ZERO}
    )
    for row in (
        Payslip.objects.filter(
            person_id__in=ids,
            run__status=PayrollRun.Status.CURRENT,
            month__year=month.year,
            month__lt=month,
        )
        .values("person_id")
        .annotate(
            income=Sum("tax_income"),
            special=Sum("tax_special"),
            additional=Sum("tax_additional"),
            withheld=Sum("tax_withheld"),
        )
    ):
        history[row["person_id"]] = {
            k: row[k] or ZERO for k in ("income", "special", "additional", "withheld")
        }
    return MonthInputs(
        branch=branch,
        month=month,
        crm_import=crm,
        settings=settings,
        standard=standard,
        lines=lines,
        postings=people,
        working_days=calendar.working_days(month, end),
        revenue=revenue,
        accounts=accounts,
        coefficients=coefficients,
        bands=bands,
        special=special,
        others=others,
        adjustments=adjustments,
        attendance=figures,
        charges=charges,
        deducted_before=deducted_before,
        history=history,
    )


def coefficient_for(score: Decimal | None, bands: list, default: Decimal) -> Decimal:
    if score is None:
        return default
    for band in bands:
        if score >= band.min_score:
            return band.coefficient
    return bands[-1].coefficient if bands else default


def months_employed(person: User, month: dt.date) -> int:
    """Months of this year he has been employed here, this month included."""
    hired = person.hired_on or dt.date(month.year, 1, 1)
    first = max(dt.date(month.year, 1, 1), hired.replace(day=1))
    return max(1, (month.year - first.year) * 12 + month.month - first.month + 1)


def compute_person(m: MonthInputs, posting: Posting) -> PersonPay | str:
    """One person's pay, or the reason it cannot be computed."""
    person = posting.user
    line = m.lines.get((posting.level_id, person.employment_type))
    if line is None:
        level = posting.level.name if posting.level_id else "未定级"
        return f"{person.name}（{person.employee_no}）：薪酬标准中没有“{level} · {person.get_employment_type_display()}”。"
    full_time = person.employment_type == User.EmploymentType.FULL_TIME
    pay = PersonPay(
        person=person,
        team_id=posting.team_id,
        level_id=posting.level_id,
        employment_type=person.employment_type,
        standard=m.standard,
    )
    s = m.settings
    # -- earnings ------------------------------------------------------------
    base = ZERO
    if full_time and line.base_pay:
        employed = [
            d
            for d in m.working_days
            if (person.hired_on is None or d >= person.hired_on)
            and (person.left_on is None or d < person.left_on)
        ]
        if len(employed) == len(m.working_days) or not m.working_days:
            base = tax.fen(line.base_pay)
            formula = f"基本工资标准 {money(line.base_pay)} 元（全月在职）"
        else:
            base = tax.fen(line.base_pay * len(employed) / len(m.working_days))
            formula = (
                f"{money(line.base_pay)} × 在职工作日 {len(employed)} ÷ 当月工作日 {len(m.working_days)}"
                f" = {money(base)}"
            )
        pay.lines.append(
            Line(
                "base",
                "基本工资",
                Kind.EARNING,
                base,
                formula,
                {
                    "standard": str(line.base_pay),
                    "employed_days": len(employed),
                    "working_days": len(m.working_days),
                },
            )
        )
    threshold = line.valid_account_min_assets
    new_rows = m.accounts.get(person.pk, [])
    valid = [code for assets_value, code in new_rows if assets_value >= threshold]
    if new_rows:
        amount = tax.fen(line.account_bonus * len(valid))
        pay.lines.append(
            Line(
                "accounts",
                "有效开户奖励",
                Kind.EARNING,
                amount,
                f"当月新开户 {len(new_rows)} 户，其中月末资产不低于 {money(threshold)} 元的有效户 {len(valid)} 户"
                f" × {money(line.account_bonus)} 元 = {money(amount)}",
                {
                    "new_accounts": len(new_rows),
                    "valid": valid,
                    "per_account": str(line.account_bonus),
                    "threshold": str(threshold),
                },
            )
        )
    figures = m.revenue.get(person.pk, {})
    net_revenue = figures.get("net_revenue") or ZERO
    raw, parts = tax.progressive(net_revenue, line.commission_brackets)
    assessment = m.coefficients.get(person.pk)
    coefficient = coefficient_for(
        assessment.total if assessment else None, m.bands, s.default_coefficient
    )
    commission = tax.fen(raw * coefficient)
    if net_revenue or raw:
        steps = (
            "；".join(
                f"{money(Decimal(p['from']))}–{money(Decimal(p['to']))} × {Decimal(p['rate']) * 100:.2f}% = {money(Decimal(p['amount']))}"
                for p in parts
            )
            or "净收入不为正，不计提"
        )
        score = (
            f"岗位职责考核 {assessment.total} 分，系数 {plain(coefficient)}"
            if assessment
            else f"本月未考核，系数 {plain(coefficient)}"
        )
        pay.lines.append(
            Line(
                "commission",
                "净收入提成",
                Kind.EARNING,
                commission,
                f"客户当月净收入 {money(net_revenue)} 元，超额累进：{steps}；合计 {money(raw)} × {score} = {money(commission)}",
                {
                    "net_revenue": str(net_revenue),
                    "parts": parts,
                    "raw": str(raw),
                    "coefficient": str(coefficient),
                    "score": str(assessment.total) if assessment else None,
                    "crm_import": m.crm_import.pk,
                },
            )
        )
    client_assets = figures.get("assets") or ZERO
    if line.assets_permille and client_assets:
        amount = tax.fen(client_assets * line.assets_permille / 1000)
        pay.lines.append(
            Line(
                "assets",
                "客户资产奖励",
                Kind.EARNING,
                amount,
                f"客户月末资产 {money(client_assets)} 元 × {plain(line.assets_permille)}‰ = {money(amount)}",
                {"assets": str(client_assets), "permille": str(line.assets_permille)},
            )
        )
    bonus_in_income = ZERO
    separate_bonus: list[OtherPayment] = []
    labour: list[OtherPayment] = []
    for item in m.others.get(person.pk, []):
        if item.kind == OtherPayment.Kind.ANNUAL_BONUS:
            label = "全年一次性奖金" + ("（单独计税）" if item.separate_tax else "（并入综合所得）")
            pay.lines.append(
                Line(
                    f"bonus{item.pk}",
                    label,
                    Kind.EARNING,
                    tax.fen(item.amount),
                    item.description,
                    {"payment": item.pk},
                )
            )
            if item.separate_tax:
                separate_bonus.append(item)
            else:
                bonus_in_income += tax.fen(item.amount)
        else:
            pay.lines.append(
                Line(
                    f"labour{item.pk}",
                    "劳务报酬",
                    Kind.EARNING,
                    tax.fen(item.amount),
                    item.description,
                    {"payment": item.pk},
                )
            )
            labour.append(item)
    # -- corrections of signed months: 补发 adds to and 扣回 takes from the wage ---
    for item in m.adjustments.get(person.pk, []):
        supplement = item.kind == Adjustment.Kind.SUPPLEMENT
        pay.lines.append(
            Line(
                f"adjust{item.pk}",
                f"{item.get_kind_display()}（更正{item.corrects:%Y年%m月}）",
                Kind.EARNING if supplement else Kind.DEDUCTION,
                tax.fen(item.amount),
                item.reason,
                {"adjustment": item.pk, "corrects": item.corrects.isoformat()},
            )
        )
        if supplement:
            bonus_in_income += tax.fen(item.amount)
    # -- attendance deductions ----------------------------------------------------
    att = m.attendance.get(person.pk)
    if att is not None and att.late_count and line.late_deduction:
        amount = tax.fen(line.late_deduction * att.late_count)
        pay.lines.append(
            Line(
                "late",
                "迟到扣款",
                Kind.DEDUCTION,
                amount,
                f"迟到 {att.late_count} 次 × {money(line.late_deduction)} 元 = {money(amount)}",
                {"late_count": att.late_count, "late_minutes": att.late_minutes},
            )
        )
    if att is not None and att.absent_days and full_time and line.base_pay:
        daily = line.base_pay / s.paid_days
        amount = tax.fen(daily * att.absent_days)
        pay.lines.append(
            Line(
                "absence",
                "旷工扣款",
                Kind.DEDUCTION,
                amount,
                f"旷工 {att.absent_days} 天 × 日工资（{money(line.base_pay)} ÷ {s.paid_days}）= {money(amount)}",
                {"absent_days": str(att.absent_days), "paid_days": str(s.paid_days)},
            )
        )
    wage_earnings = (
        sum(
            (
                ln.amount
                for ln in pay.lines
                if ln.kind == Kind.EARNING
                and ln.code in ("base", "accounts", "commission", "assets")
            ),
            ZERO,
        )
        + bonus_in_income
    )
    wage = wage_earnings - pay.total(Kind.DEDUCTION)
    # -- contributions (full-timers) ---------------------------------------------
    if full_time:
        contribution_base = min(max(wage, s.contribution_floor), s.contribution_ceiling)
        for code, label, rate in (
            ("pension", "养老保险（个人）", s.pension_rate),
            ("medical", "医疗保险（个人）", s.medical_rate),
            ("unemployment", "失业保险（个人）", s.unemployment_rate),
            ("housing", "住房公积金（个人）", s.housing_rate),
        ):
            if rate:
                amount = tax.fen(contribution_base * rate)
                pay.lines.append(
                    Line(
                        code,
                        label,
                        Kind.CONTRIBUTION,
                        amount,
                        f"缴费基数 {money(contribution_base)} × {rate * 100:.2f}% = {money(amount)}",
                        {"base": str(contribution_base), "rate": str(rate)},
                    )
                )
    contributions = pay.total(Kind.CONTRIBUTION)
    # -- income tax (cumulative withholding) ----------------------------------------
    additional = sum((d.amount for d in m.special.get(person.pk, [])), ZERO)
    if full_time:
        income = max(ZERO, wage)
        income_note = f"本月工资薪金 {money(income)}"
    else:
        commission_income = max(ZERO, wage)
        amount, cost, income = tax.broker_income(commission_income)
        income_note = (
            f"证券经纪人佣金 {money(commission_income)} × 80% = 收入额 {money(amount)}，"
            f"减展业成本 25% {money(cost)}，计入 {money(income)}"
        )
    prior = m.history[person.pk]
    months = months_employed(person, m.month)
    c = tax.Cumulative(
        income=prior["income"] + income,
        basic=tax.MONTHLY_BASIC_DEDUCTION * months,
        special=prior["special"] + contributions,
        additional=prior["additional"] + additional,
        withheld_before=prior["withheld"],
    )
    w = tax.cumulative_withholding(c)
    pay.tax_income, pay.tax_special, pay.tax_additional, pay.tax_withheld = (
        income,
        contributions,
        additional,
        w.this_month,
    )
    pay.lines.append(
        Line(
            "iit",
            "个人所得税（累计预扣）",
            Kind.TAX,
            w.this_month,
            f"{income_note}；累计收入 {money(c.income)} − 累计减除费用 {money(c.basic)}（5,000 × {months} 个月）"
            f" − 累计专项扣除 {money(c.special)} − 累计专项附加扣除 {money(c.additional)}"
            f" = 累计应纳税所得额 {money(w.taxable)}；× {w.rate * 100:.0f}% − 速算扣除数 {money(w.quick)}"
            f" = 累计应纳税额 {money(w.cumulative_tax)}；减已预扣 {money(c.withheld_before)} = {money(w.this_month)}",
            {
                "income": str(income),
                "cumulative_income": str(c.income),
                "basic": str(c.basic),
                "months": months,
                "special": str(c.special),
                "additional": str(c.additional),
                "taxable": str(w.taxable),
                "rate": str(w.rate),
                "quick": str(w.quick),
                "cumulative_tax": str(w.cumulative_tax),
                "withheld_before": str(c.withheld_before),
            },
        )
    )
    for item in separate_bonus:
        b = tax.annual_bonus_tax(item.amount)
        pay.lines.append(
            Line(
                f"bonus_tax{item.pk}",
                "全年一次性奖金个税",
                Kind.TAX,
                b.tax,
                f"{money(item.amount)} ÷ 12 = {money(b.monthly)}，适用 {b.rate * 100:.0f}%；"
                f"{money(item.amount)} × {b.rate * 100:.0f}% − {money(b.quick)} = {money(b.tax)}",
                {"bonus": str(item.amount), "rate": str(b.rate), "quick": str(b.quick)},
            )
        )
    for item in labour:
        t = tax.labour_remuneration_tax(item.amount)
        pay.lines.append(
            Line(
                f"labour_tax{item.pk}",
                "劳务报酬个税",
                Kind.TAX,
                t.tax,
                f"收入 {money(item.amount)}，收入额 {money(t.income_amount)} × {t.rate * 100:.0f}%"
                f" − {money(t.quick)} = {money(t.tax)}",
                {
                    "amount": str(item.amount),
                    "income_amount": str(t.income_amount),
                    "rate": str(t.rate),
                },
            )
        )
    # -- asset-loss charges: ≤ 20 % of the month's wage, take-home ≥ minimum wage --
    outstanding = [
        (charge, charge.amount - m.deducted_before.get(charge.incident_id, ZERO))
        for charge in m.charges.get(person.pk, [])
    ]
    outstanding = [(c_, left) for c_, left in outstanding if left > 0]
    if outstanding:
        owed = sum((left for _c, left in outstanding), ZERO)
        cap = tax.fen(max(ZERO, wage) * CAP_SHARE)
        take_home = wage - contributions - w.this_month
        floor_room = max(ZERO, take_home - s.minimum_wage)
        deduct = min(owed, cap, floor_room)
        remaining = deduct
        for charge, left in outstanding:
            part = min(left, remaining)
            pay.charges.append(
                (charge.incident_id, f"{charge.reference} {charge.item}", charge.amount, part)
            )
            remaining -= part
        pay.lines.append(
            Line(
                "asset_charge",
                "实物赔偿扣款",
                Kind.DEDUCTION,
                deduct,
                f"待扣赔偿 {money(owed)}；上限：当月工资 {money(wage)} × 20% = {money(cap)}，"
                f"且扣后实发不低于最低工资 {money(s.minimum_wage)}（可扣 {money(floor_room)}）；本月扣 {money(deduct)}，"
                f"余 {money(owed - deduct)} 结转以后月份",
                {
                    "owed": str(owed),
                    "cap": str(cap),
                    "floor_room": str(floor_room),
                    "incidents": [c_.incident_id for c_, _left in outstanding],
                },
            )
        )
    return pay


def compute_month(branch, month: dt.date) -> tuple[MonthInputs, list[PersonPay], list[str]]:
    m = load(branch, month)
    pays, problems = [], []
    if m.standard is None:
        problems.append("本营业部没有已批准、在该月生效的薪酬标准。")
        return m, pays, problems
    for posting in m.postings:
        result = compute_person(m, posting)
        if isinstance(result, str):
            problems.append(result)
        else:
            pays.append(result)
    return m, pays, problems
