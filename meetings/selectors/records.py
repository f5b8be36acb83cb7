"""Reads of meetings, their rows, action items, competitor information and
the team's target progress beside the minutes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from meetings import rules
from meetings.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionReview,
    CompetitorNote,
    Meeting,
    MeetingAttendee,
    MeetingKind,
)
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Posting, Role, Team, User, in_force_q

# Team posts that see all of a team's meetings (members see them too).
TEAM_POSTS = (
    Role.TEAM_LEADER,
    Role.ATTENDANCE_RECORDER,
    Role.ASSET_KEEPER,
    Role.REGIONAL_MANAGER,
)


# -- scope ---------------------------------------------------------------------


def visibility_q(user, model) -> Q:
    """Meetings are team business (R-8.1): the team's members and posts, the
    branch management, and HQ oversight (which checks that the rulebook's
    meetings are held, R-3.3) see them; a person also sees the meetings he
    was on the roll of and the action items he owns, wherever he is now."""
    scope = scope_for(user)
    q = scope.stamped_q(
        group=None,
        outlet=None,
        team_roles=TEAM_POSTS,
        branch_roles=BRANCH_MANAGEMENT,
        hq=True,
    )
    if scope.superuser or (scope.hq):
        return q
    teams = set(scope.group_teams)
    if user.team_id:
        teams.add(user.team_id)
    if teams:
        q |= Q(team_id__in=teams)
    if model is Meeting:
        q |= Q(pk__in=MeetingAttendee.objects.filter(person_id=user.pk).values("meeting_id"))
    elif model is ActionItem:
        q |= Q(owner_id=user.pk)
    elif model is not CompetitorNote:
        raise TypeError(f"no meetings scope for {model!r}")
    return q


def teams_in_scope(user) -> QuerySet[Team]:
    return Team.objects.visible_to(user).select_related("branch")


# -- meetings --------------------------------------------------------------------


def _count(queryset) -> Coalesce:
    """A per-meeting count as a subquery (no GROUP BY over joined rows, and
    dropped from the paginator's COUNT)."""
    counted = (
        queryset.filter(meeting=OuterRef("pk"))
        .order_by()
        .values("meeting")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def meetings_for(user) -> QuerySet[Meeting]:
    """The meeting list: each row with its team, host and roll counts."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("team", "branch", "host", "recorded_by")
        .annotate(
            roll_total=_count(MeetingAttendee.objects.all()),
            roll_present=_count(MeetingAttendee.objects.filter(present=True)),
            roll_absent=_count(MeetingAttendee.objects.filter(present=False)),
            open_actions=_count(ActionItem.objects.filter(status__in=OPEN_STATUSES)),
        )
    )


def meeting_detail(user, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related(
            "team__branch", "branch", "host", "recorded_by"
        ),
        pk=pk,
    )


def roll_of(meeting: Meeting) -> list[MeetingAttendee]:
    return list(meeting.attendees.select_related("person__group").order_by("person__employee_no"))


def problems_of(meeting: Meeting):
    return meeting.problems.order_by("id")


def competitor_notes_of(meeting: Meeting):
    return meeting.competitor_notes.order_by("id")


def actions_of(meeting: Meeting) -> list[ActionItem]:
    """The action items raised at the meeting."""
    return list(meeting.action_items.select_related("owner").order_by("due_date", "id"))


def reviews_of(meeting: Meeting) -> list[ActionReview]:
    """The earlier meetings' open items carried into this one."""
    return list(
        meeting.reviews.select_related("item__owner", "item__meeting").order_by(
            "item__due_date", "item_id"
        )
    )


def carried_items(team: Team, day: dt.date, *, exclude: Meeting | None = None):
    """Open action items of the team's earlier meetings: they carry over to
    every following weekly or monthly meeting until done (R-3.1)."""
    items = ActionItem.objects.filter(
        team=team, status__in=OPEN_STATUSES, meeting__date__lte=day
    ).select_related("owner", "meeting")
    if exclude is not None and exclude.pk:
        items = items.exclude(meeting=exclude)
    return items.order_by("due_date", "id")


def roster(team: Team, day: dt.date) -> list[User]:
    """Everyone posted to the team on the day: the roll call's lines."""
    postings = (
        Posting.objects.filter(in_force_q(day), team=team)
        .select_related("user__group")
        .order_by("user__employee_no")
    )
    return [p.user for p in postings]


def leader_ids(team: Team, day: dt.date) -> set[int]:
    """The team leader and the branch management on the day: they may host a
    meeting or own an action item without being posted to the team."""
    from staff.selectors import holders

    ids = set(holders(Role.TEAM_LEADER, team=team, on=day).values_list("pk", flat=True))
    ids |= set(
        User.objects.filter(
            in_force_q(day, "role_assignments__"),
            role_assignments__role__in=BRANCH_MANAGEMENT,
            role_assignments__branch_id=team.branch_id,
        ).values_list("pk", flat=True)
    )
    return ids


def meeting_people(team: Team, day: dt.date, extra=()) -> QuerySet[User]:
    """Who may host the meeting or own its action items."""
    ids = {p.pk for p in roster(team, day)} | leader_ids(team, day) | set(extra)
    return User.objects.filter(pk__in=ids).order_by("employee_no")


def existing(team: Team, kind: str, period_start: dt.date) -> Meeting | None:
    return Meeting.objects.filter(team=team, kind=kind, period_start=period_start).first()


# -- action items and competitor information ---------------------------------------


def action_items_for(user) -> QuerySet[ActionItem]:
    return ActionItem.objects.visible_to(user).select_related(
        "team", "owner", "meeting", "updated_by"
    )


def action_detail(user, pk: int) -> ActionItem:
    return get_object_or_404(action_items_for(user), pk=pk)


def item_reviews(item: ActionItem):
    return item.reviews.select_related("meeting").order_by("meeting__date", "meeting_id")


def competitor_notes_for(user) -> QuerySet[CompetitorNote]:
    return CompetitorNote.objects.visible_to(user).select_related("team", "branch", "meeting")


def my_open_actions(user) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(owner=user, status__in=OPEN_STATUSES)
        .select_related("team", "meeting")
        .order_by("due_date", "id")
    )


# -- target progress beside the minutes (teams chapter) ------------------------------

PROGRESS_METRICS = ("new_accounts", "net_revenue", "client_assets")


def progress_month(kind: str, day: dt.date, period_start: dt.date) -> dt.date:
    """The month whose progress a meeting looks at: the month a monthly
    meeting sums up, else the month of the meeting."""
    return period_start if kind == MeetingKind.MONTHLY else rules.month_start(day)


def team_progress(team: Team, year: int) -> dict:
    """The team's targets against actuals (teams chapter, R-1.4)."""
    from teams.selectors import progress

    return progress(team, year)


def progress_snapshot(data: dict, month: dt.date) -> dict:
    """The month's row of :func:`team_progress` in JSON form, kept with the
    minutes so they show what the meeting looked at."""
    row = data["months"][month.month - 1]

    def plain(values: dict) -> dict:
        return {m: str(values.get(m, Decimal(0))) for m in PROGRESS_METRICS}

    return {
        "year": month.year,
        "month": month.month,
        "has_split": data.get("split") is not None,
        "imported": bool(row.get("imported")),
        "reviewed": bool(row.get("reviewed")),
        "target": plain(row["target"]),
        "actual": plain(row["actual"]),
        "cum_target": plain(row["cum_target"]),
        "cum_actual": plain(row["cum_actual"]),
    }


def progress_charts(data: dict) -> list[dict]:
    from teams.selectors import progress_chart

    return [
        {
            "id": "chart-new-accounts",
            "label": "开户数",
            "config": progress_chart(data, "new_accounts"),
        },
        {
            "id": "chart-net-revenue",
            "label": "净收入",
            "config": progress_chart(data, "net_revenue"),
        },
    ]
