"""Models of the visits chapter (篇5, R-7.1 … R-7.6)."""

from visits.models.choices import (
    FollowUpCategory,
    FollowUpStatus,
    HandlingDept,
    InformedHow,
    VisitMode,
)
from visits.models.followups import FollowUp, FollowUpStep
from visits.models.reports import QuarterlyReport
from visits.models.settings import TierChange, VisitSettings
from visits.models.transfers import Reassignment, ReassignmentLine
from visits.models.visits import (
    MonthlySubmission,
    OverlapWarning,
    ScopedQuerySet,
    Visit,
    VisitPlan,
)

__all__ = [
    "FollowUp",
    "FollowUpCategory",
    "FollowUpStatus",
    "FollowUpStep",
    "HandlingDept",
    "InformedHow",
    "MonthlySubmission",
    "OverlapWarning",
    "QuarterlyReport",
    "Reassignment",
    "ReassignmentLine",
    "ScopedQuerySet",
    "TierChange",
    "Visit",
    "VisitMode",
    "VisitPlan",
    "VisitSettings",
]
