"""Reads of the payroll chapter for other apps (archives reads a person's
assessments and evaluations for his file, R-6.3)."""

from __future__ import annotations

from django.db.models import QuerySet

from payroll.models import DutyAssessment, LevelReview, ReviewItem


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
