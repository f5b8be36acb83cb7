from decimal import Decimal

import pytest

from portal.numerals import rmb_upper


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("0.50", "伍角"),
        ("1", "壹元整"),
        ("10", "壹拾元整"),
        ("101", "壹佰零壹元整"),
        ("1000.01", "壹仟元零壹分"),
        ("10001", "壹万零壹元整"),
        ("20500", "贰万零伍佰元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1000200", "壹佰万零贰佰元整"),
        ("1002003.40", "壹佰万贰仟零叁元肆角"),
        ("7205.08", "柒仟贰佰零伍元零捌分"),
        ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
        ("100000000", "壹亿元整"),
        ("-3.5", "负叁元伍角"),
    ],
)
def test_amounts_in_capital_numerals(amount, text):
    assert rmb_upper(Decimal(amount)) == text
