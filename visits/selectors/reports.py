"""Reads of the quarterly visit reports (R-7.4)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from visits.models import QuarterlyReport


def reports_for(user) -> QuerySet[QuarterlyReport]:
    return QuarterlyReport.objects.visible_to(user).select_related("branch", "team", "prepared_by")


def report_detail(user, pk: int) -> QuarterlyReport:
    return get_object_or_404(reports_for(user), pk=pk)
