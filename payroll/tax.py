"""Individual income tax withholding, to the fen (pure functions).

- 工资薪金 and 证券经纪人 commissions: the cumulative withholding method
  (累计预扣法, 国家税务总局公告2018年第61号; brokers per 财税〔2018〕164号:
  income amount = commission × 80 %, less 展业成本 of 25 % of it).
- 劳务报酬 paid once: per payment, 800 or 20 % off, then 20/30/40 %.
- 全年一次性奖金 taxed separately: the monthly-converted table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
ZERO = Decimal("0")
MONTHLY_BASIC_DEDUCTION = Decimal("5000")

# 综合所得 annual table (cumulative withholding): upper bound, rate, quick deduction.
ANNUAL_TABLE = (
    (Decimal("36000"), Decimal("0.03"), Decimal("0")),
    (Decimal("144000"), Decimal("0.10"), Decimal("2520")),
    (Decimal("300000"), Decimal("0.20"), Decimal("16920")),
    (Decimal("420000"), Decimal("0.25"), Decimal("31920")),
    (Decimal("660000"), Decimal("0.30"), Decimal("52920")),
    (Decimal("960000"), Decimal("0.35"), Decimal("85920")),
    (None, Decimal("0.45"), Decimal("181920")),
)
# The same brackets converted to a month, for the separately taxed annual bonus.
MONTHLY_TABLE = (
    (Decimal("3000"), Decimal("0.03"), Decimal("0")),
    (Decimal("12000"), Decimal("0.10"), Decimal("210")),
    (Decimal("25000"), Decimal("0.20"), Decimal("1410")),
    (Decimal("35000"), Decimal("0.25"), Decimal("2660")),
    (Decimal("55000"), Decimal("0.30"), Decimal("4410")),
    (Decimal("80000"), Decimal("0.35"), Decimal("7160")),
    (None, Decimal("0.45"), Decimal("15160")),
)
BROKER_INCOME_SHARE = Decimal("0.80")
BROKER_COST_SHARE = Decimal("0.25")


def fen(value: Decimal) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def bracket(amount: Decimal, table) -> tuple[Decimal, Decimal]:
    """Rate and quick deduction for ``amount`` (bounds inclusive)."""
    for upper, rate, quick in table:
        if upper is None or amount <= upper:
            return rate, quick
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Cumulative:
    """The year so far at this employer, this month included."""

    income: Decimal
    basic: Decimal
    special: Decimal
    additional: Decimal
    withheld_before: Decimal

    @property
    def taxable(self) -> Decimal:
        return max(ZERO, self.income - self.basic - self.special - self.additional)


@dataclass(frozen=True)
class Withholding:
    taxable: Decimal
    rate: Decimal
    quick: Decimal
    cumulative_tax: Decimal
    this_month: Decimal


def cumulative_withholding(c: Cumulative) -> Withholding:
    """本期应预扣预缴税额 = (累计应纳税所得额 × 预扣率 − 速算扣除数) − 累计已预扣预缴税额,
    never negative in a month (an excess is simply not refunded by the employer)."""
    taxable = c.taxable
    rate, quick = bracket(taxable, ANNUAL_TABLE)
    cumulative_tax = max(ZERO, fen(taxable * rate - quick))
    return Withholding(
        taxable, rate, quick, cumulative_tax, max(ZERO, cumulative_tax - c.withheld_before)
    )


def broker_income(
    commission: Decimal, surcharges: Decimal = ZERO
) -> tuple[Decimal, Decimal, Decimal]:
    """证券经纪人: (收入额, 展业成本, 计入累计的收入) for a month's commission."""
    income_amount = fen(commission * BROKER_INCOME_SHARE)
    cost = fen(income_amount * BROKER_COST_SHARE)
    return income_amount, cost, max(ZERO, income_amount - cost - surcharges)


@dataclass(frozen=True)
class LabourTax:
    income_amount: Decimal
    rate: Decimal
    quick: Decimal
    tax: Decimal


def labour_remuneration_tax(amount: Decimal) -> LabourTax:
    """劳务报酬 withheld per payment: 收入额 = 收入 − 800 (≤ 4,000) or × 80 %;
    20 % up to 20,000, 30 % less 2,000 up to 50,000, 40 % less 7,000 above."""
    amount = Decimal(amount)
    income_amount = (
        max(ZERO, amount - Decimal("800"))
        if amount <= Decimal("4000")
        else fen(amount * Decimal("0.80"))
    )
    if income_amount <= Decimal("20000"):
        rate, quick = Decimal("0.20"), ZERO
    elif income_amount <= Decimal("50000"):
        rate, quick = Decimal("0.30"), Decimal("2000")
    else:
        rate, quick = Decimal("0.40"), Decimal("7000")
    return LabourTax(income_amount, rate, quick, fen(income_amount * rate - quick))


@dataclass(frozen=True)
class BonusTax:
    monthly: Decimal
    rate: Decimal
    quick: Decimal
    tax: Decimal


def annual_bonus_tax(bonus: Decimal) -> BonusTax:
    """全年一次性奖金 taxed separately: the rate found from bonus ÷ 12 in the
    monthly table, tax = bonus × rate − one monthly quick deduction."""
    bonus = Decimal(bonus)
    monthly = bonus / 12
    rate, quick = bracket(monthly, MONTHLY_TABLE)
    return BonusTax(fen(monthly), rate, quick, max(ZERO, fen(bonus * rate - quick)))


def progressive(amount: Decimal, brackets: list) -> tuple[Decimal, list[dict]]:
    """超额累进 commission on ``amount`` by ``[[upper or None, rate], ...]``;
    returns the total and each band's part (for the payslip explanation)."""
    amount = max(ZERO, Decimal(amount))
    total, lower, parts = ZERO, ZERO, []
    for upper, rate in brackets:
        upper = None if upper is None else Decimal(str(upper))
        rate = Decimal(str(rate))
        top = amount if upper is None else min(amount, upper)
        if top <= lower:
            break
        part = fen((top - lower) * rate)
        parts.append({"from": str(lower), "to": str(top), "rate": str(rate), "amount": str(part)})
        total += part
        if upper is None or amount <= upper:
            break
        lower = upper
    return total, parts
