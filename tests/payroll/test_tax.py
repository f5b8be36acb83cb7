"""Tax functions at their edges, against hand-computed figures."""

from decimal import Decimal

import pytest

from payroll import tax

D = Decimal


def _cum(income, basic="0", special="0", additional="0", withheld="0"):
    return tax.cumulative_withholding(
        tax.Cumulative(D(income), D(basic), D(special), D(additional), D(withheld))
    )


@pytest.mark.parametrize(
    ("taxable", "expected"),
    [
        ("36000.00", "1080.00"),  # top of 3 %
        ("36000.01", "1080.00"),  # 10 % − 2,520 = 1,080.001
        ("144000.00", "11880.00"),  # 10 % − 2,520
        ("144000.01", "11880.00"),  # 20 % − 16,920 = 11,880.002
        ("300000.00", "43080.00"),  # 20 % − 16,920
        ("420000.00", "73080.00"),  # 25 % − 31,920
        ("660000.00", "145080.00"),  # 30 % − 52,920
        ("960000.00", "250080.00"),  # 35 % − 85,920
        ("1000000.00", "268080.00"),  # 45 % − 181,920
    ],
)
def test_the_annual_table_at_its_bracket_edges(taxable, expected):
    assert _cum(taxable).cumulative_tax == D(expected)


def test_cumulative_withholding_subtracts_what_was_withheld_and_never_goes_negative():
    w = _cum("60000", basic="15000", special="3000", additional="3000", withheld="500")
    assert w.taxable == D("39000")
    assert w.cumulative_tax == D("1380.00")  # 39,000 × 10 % − 2,520
    assert w.this_month == D("880.00")
    assert _cum("10000", basic="15000", withheld="100").this_month == D("0")


def test_broker_income_amount_and_cost():
    assert tax.broker_income(D("10000")) == (D("8000.00"), D("2000.00"), D("6000.00"))
    assert tax.broker_income(D("333.33")) == (
        D("266.66"),
        D("66.67"),
        D("199.99"),
    )  # 266.664 → .66; ×25 % = 66.665 → .67


@pytest.mark.parametrize(
    ("amount", "income_amount", "tax_due"),
    [
        ("800", "0", "0.00"),
        ("3000", "2200", "440.00"),  # − 800, 20 %
        ("4000", "3200", "640.00"),
        ("4000.01", "3200.01", "640.00"),  # × 80 % = 3,200.008 → 3,200.01; 20 % = 640.002
        ("25000", "20000.00", "4000.00"),  # 20 %
        ("30000", "24000.00", "5200.00"),  # 30 % − 2,000
        ("62500", "50000.00", "13000.00"),  # 30 % − 2,000 at the edge
        ("70000", "56000.00", "15400.00"),  # 40 % − 7,000
    ],
)
def test_labour_remuneration_per_payment(amount, income_amount, tax_due):
    t = tax.labour_remuneration_tax(D(amount))
    assert t.income_amount == D(income_amount)
    assert t.tax == D(tax_due)


@pytest.mark.parametrize(
    ("bonus", "expected"),
    [
        ("36000", "1080.00"),  # 3,000 a month: 3 %
        ("36001", "3390.10"),  # 3,000.08 a month: 10 % − 210 (the well-known cliff)
        ("144000", "14190.00"),  # 12,000: 10 % − 210
        ("960000", "328840.00"),  # 80,000: 35 % − 7,160
        ("1000000", "434840.00"),  # 45 % − 15,160
    ],
)
def test_annual_bonus_by_the_monthly_converted_table(bonus, expected):
    assert tax.annual_bonus_tax(D(bonus)).tax == D(expected)


def test_progressive_commission_bands():
    total, parts = tax.progressive(
        D("125000"), [["50000", "0.05"], ["100000", "0.08"], [None, "0.10"]]
    )
    assert total == D("9000.00")  # 2,500 + 4,000 + 2,500
    assert [p["amount"] for p in parts] == ["2500.00", "4000.00", "2500.00"]
    assert tax.progressive(D("-300"), [[None, "0.05"]])[0] == D("0")
    assert tax.progressive(D("50000"), [["50000", "0.05"], [None, "0.10"]])[0] == D("2500.00")
