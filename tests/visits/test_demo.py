"""The demo data: a year of visits and follow-ups, consistent with the
chapter's rules (R-7.1 … R-7.5)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from approvals.selectors import request_for
from visits.models import (
    FollowUp,
    FollowUpStep,
    MonthlySubmission,
    OverlapWarning,
    QuarterlyReport,
    Visit,
    VisitPlan,
)

pytestmark = pytest.mark.django_db


def test_the_demo_holds_a_year_of_visits_and_follow_ups():
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    today = timezone.localdate()
    visits = Visit.objects.all()
    assert visits.count() > 2000
    assert visits.filter(visited_on__lt=today - dt.timedelta(days=330)).exists()
    assert not visits.filter(visited_on__gte=today).exists()
    assert visits.filter(companions__isnull=False).exists()
    assert set(visits.values_list("mode", flat=True)) == {"onsite", "phone", "online"}
    # Follow-ups belong to their visit's client and visitor, in every state,
    # closed only once the client was told, with a step per move.
    followups = FollowUp.objects.all()
    assert followups.count() > 250
    assert not followups.exclude(client_id=F("visit__client_id")).exists()
    assert not followups.exclude(owner_id=F("visit__visitor_id")).exists()
    assert set(followups.values_list("status", flat=True)) >= {
        "open",
        "forwarded",
        "handling",
        "resolved",
        "closed",
    }
    assert not followups.filter(status="closed", informed_on__isnull=True).exists()
    assert followups.filter(status__in=["open", "forwarded", "handling"], due_on__lt=today).exists()
    assert (
        FollowUpStep.objects.filter(to_status="closed").count()
        == followups.filter(status="closed").count()
    )
    # Months before last verified; last month's through the engine, some waiting.
    assert MonthlySubmission.objects.filter(status="verified").count() > 300
    pending = MonthlySubmission.objects.filter(status="pending")
    assert pending.exists()
    assert all(request_for(s) is not None for s in pending)
    assert not Visit.objects.filter(submission__isnull=False, submission__visitor_id__lt=0).exists()
    assert (
        not Visit.objects.exclude(submission__isnull=True)
        .exclude(submission__visitor_id=F("visitor_id"))
        .exists()
    )
    demo_cm_last = MonthlySubmission.objects.filter(
        visitor__employee_no="demo_cm",
        month=(today.replace(day=1) - dt.timedelta(days=1)).replace(day=1),
    )
    assert not demo_cm_last.exists()  # left for the browser test to submit
    assert VisitPlan.objects.filter(status="planned", planned_on__gte=today).count() > 50
    assert OverlapWarning.objects.count() >= 3
    assert QuarterlyReport.objects.filter(status="submitted").count() == 1
    assert QuarterlyReport.objects.exclude(analysis="").count() >= 2
