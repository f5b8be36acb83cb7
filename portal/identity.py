"""Validators for Chinese identity and bank numbers."""

import re

from django.core.exceptions import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_id_number(value: str) -> None:
    """18-digit resident ID (GB 11643) with its check digit."""
    if not value:
        return
    if not re.fullmatch(r"\d{17}[\dXx]", value):
        raise ValidationError("身份证号应为 18 位，最后一位可为数字或 X。", code="id_format")
    if id_check_digit(value[:17]) != value[-1].upper():
        raise ValidationError("身份证号校验位不正确，请核对。", code="id_checksum")


def validate_bank_account(value: str) -> None:
    if value and not re.fullmatch(r"\d{12,30}", value):
        raise ValidationError("银行卡号应为 12–30 位数字。", code="bank_format")


def mask_tail(value: str, keep: int = 4) -> str:
    """Shows only the last four characters (R-8.6)."""
    if not value:
        return ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
