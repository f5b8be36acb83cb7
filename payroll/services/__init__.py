"""Writes of the payroll chapter (SPEC §5)."""

from payroll.services.pay import (
    SHEET_FLOW,
    STANDARD_FLOW,
    PayStandardSubject,
    SheetSubject,
    add_adjustment,
    add_other_payment,
    assess_duty,
    compute_payroll,
    create_standard,
    month_lock_reason,
    set_special_deduction,
    set_standard_line,
    submit_sheet,
    submit_standard,
)
from payroll.services.reviews import confirm_review, decide_item, open_review

__all__ = [
    "SHEET_FLOW",
    "STANDARD_FLOW",
    "PayStandardSubject",
    "SheetSubject",
    "add_adjustment",
    "add_other_payment",
    "assess_duty",
    "compute_payroll",
    "confirm_review",
    "create_standard",
    "decide_item",
    "month_lock_reason",
    "open_review",
    "set_special_deduction",
    "set_standard_line",
    "submit_sheet",
    "submit_standard",
]
