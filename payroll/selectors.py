"""Reads of the payroll chapter for other apps (archives reads a person's
assessments and evaluations for his file, R-6.3)."""

from __future__ import annotations

from django.db.models import QuerySet

from payroll.models import (
    DutyAssessment,
    LevelReview,
    PayrollRun,
    PayrollSheet,
    Payslip,
    ReviewItem,
)


def own_payslips(user) -> QuerySet[Payslip]:
    """A person's payslips of the months whose sheet is signed (before
    signing the figures may still change, so he does not see them)."""
    return (
        Payslip.objects.filter(
            person=user,
            run__status=PayrollRun.Status.CURRENT,
            run__sheet__status=PayrollSheet.Status.SIGNED,
        )
        .select_related("run__branch")
        .order_by("-month")
    )


def duty_assessments_of(person) -> QuerySet[DutyAssessment]:
    """Each month's duty assessment of a person, newest first."""
    return (
        DutyAssessment.objects.filter(person=person)
        .select_related("assessed_by")
        .order_by("-month")
    )


def evaluations_of(person) -> QuerySet[ReviewItem]:
    """His confirmed annual evaluations (优秀/称职/…), newest first."""
    return (
        ReviewItem.objects.filter(
            person=person,
            review__kind=LevelReview.Kind.YEAR,
            review__status=LevelReview.Status.CONFIRMED,
        )
        .select_related("review", "level", "decided_level")
        .order_by("-review__year")
    )


def level_reviews_of(person) -> QuerySet[ReviewItem]:
    """Every confirmed level review (quarterly and annual) of a person."""
    return (
        ReviewItem.objects.filter(person=person, review__status=LevelReview.Status.CONFIRMED)
        .select_related("review", "level", "decided_level")
        .order_by("-review__year", "-review__quarter")
    )


def signed_sheet(branch, month):
    """The branch's signed 薪酬月报表 of a month, or None (R-5.2, R-6.4)."""
    from payroll.models import PayrollSheet

    return (
        PayrollSheet.objects.filter(
            branch=branch, month=month.replace(day=1), status=PayrollSheet.Status.SIGNED
        )
        .select_related("branch", "run", "prepared_by")
        .first()
    )


def sheet_pdf_context(sheet) -> dict:
    """What ``payroll/pdf/sheet.html`` needs, for the archive bundle."""
    from payroll import exports
    from portal.numerals import rmb_upper

    rows, totals = exports.sheet_rows(sheet.run)
    return {
        "sheet": sheet,
        "rows": rows,
        "totals": [totals[h] for h, _ in exports.COLUMNS],
        "headers": exports.HEADERS,
        "upper": rmb_upper(totals["实发金额"]),
        "signatures": exports.signatures(sheet),
        "pdf_title": "薪酬月报表",
        "landscape": True,
    }


def month_results(branch, month):
    """Each client manager's pay results of a signed month (for the archive)."""
    from payroll.models import Payslip

    return (
        Payslip.objects.filter(
            run__sheet__status="signed", branch=branch, month=month.replace(day=1)
        )
        .select_related("person", "team", "level")
        .order_by("person__employee_no")
    )
