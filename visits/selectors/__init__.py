"""Reads of the visits chapter, shared by views, exports and other apps.

Other chapters read visits only through this package, e.g. the archives
chapter a client manager's visit record, and the portal's daily job the
reminders (:func:`due_reminders`, :func:`due_followup_reminders`).
"""

from visits.selectors.clients import (
    client_closed_followups,
    client_crm_figures,
    client_followups,
    client_plans,
    client_visit_status,
    client_visits,
)
from visits.selectors.counts import leader_counts
from visits.selectors.crosscheck import Flag, crosscheck, people_checked, slips_of_visit
from visits.selectors.figures import quarter_figures
from visits.selectors.followups import (
    Reminder,
    due_followup_reminders,
    due_month_reminders,
    due_reminders,
    followup_detail,
    followup_steps,
    followups_for,
    my_open_followups,
    overdue_followups,
)
from visits.selectors.overdue import (
    VisitStatus,
    active_tiers,
    overdue_clients,
    status_of,
    with_visit_status,
)
from visits.selectors.overlap import Warning, overlap_warnings
from visits.selectors.reports import report_detail, reports_for
from visits.selectors.scope import visibility_q
from visits.selectors.search import search_followups, search_visits
from visits.selectors.transfers import (
    Candidate,
    handover_candidates,
    handover_clients,
    handover_count,
    managers_in_reach,
    reassignment_detail,
    reassignment_lines,
    reassignments_for,
    recipients_for,
    transferable_clients,
)
from visits.selectors.visits import (
    client_by_code,
    client_for_visit,
    may_visit,
    month_visits,
    my_months,
    overlaps_for,
    own_clients,
    plan_detail,
    plans_for,
    settings_for,
    submission_detail,
    submissions_for,
    visit_detail,
    visit_followups,
    visits_for,
)


def visits_of_person(person, start=None, end=None):
    """A person's visit logs (for the archives): date, client, mode, content."""
    from visits.models import Visit

    qs = Visit.objects.filter(visitor=person).select_related("client").order_by("-visited_on")
    if start:
        qs = qs.filter(visited_on__gte=start)
    if end:
        qs = qs.filter(visited_on__lte=end)
    return qs


__all__ = [
    "Candidate",
    "Flag",
    "Reminder",
    "VisitStatus",
    "Warning",
    "active_tiers",
    "client_by_code",
    "client_closed_followups",
    "client_crm_figures",
    "client_followups",
    "client_for_visit",
    "client_plans",
    "client_visit_status",
    "client_visits",
    "crosscheck",
    "due_followup_reminders",
    "due_month_reminders",
    "due_reminders",
    "followup_detail",
    "followup_steps",
    "followups_for",
    "handover_candidates",
    "handover_clients",
    "handover_count",
    "leader_counts",
    "managers_in_reach",
    "may_visit",
    "month_visits",
    "my_months",
    "my_open_followups",
    "overdue_clients",
    "overdue_followups",
    "overlap_warnings",
    "overlaps_for",
    "own_clients",
    "people_checked",
    "plan_detail",
    "plans_for",
    "quarter_figures",
    "reassignment_detail",
    "reassignment_lines",
    "reassignments_for",
    "recipients_for",
    "report_detail",
    "reports_for",
    "search_followups",
    "search_visits",
    "settings_for",
    "slips_of_visit",
    "status_of",
    "submission_detail",
    "submissions_for",
    "transferable_clients",
    "visibility_q",
    "visit_detail",
    "visit_followups",
    "visits_for",
    "visits_of_person",
    "with_visit_status",
]
