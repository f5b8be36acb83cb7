"""What the visits chapter adds to the shell: the 客户走访 navigation section,
home-page blocks (R-8.4), the 大客户档案 panels on the client page (R-7.5)
and the reaction to a client manager leaving or moving. Registered from
``VisitsConfig.ready()``."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from clients.models import Client
from visits import permissions, rules, selectors

LOOKBACK_DAYS = 30


def everyone(user) -> bool:
    return True


def register() -> None:
    from portal.registry import (
        NavSection,
        SearchSource,
        register_client_panel,
        register_home_block,
        register_nav,
        register_reminder,
        register_search,
        register_team_figures,
    )
    from staff.services import register_posting_listener, register_status_listener
    from visits.figures import team_visits
    from visits.reminders import followup_reminders, month_reminders

    register_nav(
        NavSection(
            code="visits",
            label="客户走访",
            url_name="visits:visit_list",
            order=60,
            icon="geo-alt",
            visible=lambda user: (
                permissions.files_visits(user)
                or permissions.leads_visits(user)
                or permissions.can_view_reports(user)
            ),
            children=(
                ("登记走访", "visits:visit_new", permissions.files_visits),
                ("走访计划", "visits:plan_list", everyone),
                ("督办事项", "visits:followup_list", everyone),
                ("逾期未访客户", "visits:overdue", everyone),
                ("月度走访日志", "visits:month_list", everyone),
                ("走访重叠", "visits:overlap_list", permissions.leads_visits),
                ("出访单核对", "visits:crosscheck", everyone),
                ("客户移交", "visits:handover", permissions.can_reassign),
                ("季度走访报告", "visits:report_list", permissions.can_view_reports),
                ("客户级别与设置", "visits:settings", permissions.can_view_settings),
            ),
        )
    )
    # Audiences are cheap (the user's own fields, his roles from the
    # request's cached scope); the blocks themselves load on their own.
    register_home_block("visits_mine", my_visits_block, order=50, audience=permissions.files_visits)
    register_home_block(
        "visits_followups", my_followups_block, order=52, audience=permissions.files_visits
    )
    register_home_block("visits_leader", leader_block, order=54, audience=permissions.leads_visits)
    register_reminder("visits_followups", followup_reminders)
    register_reminder("visits_months", month_reminders)
    register_team_figures("visits", team_visits, order=40)
    register_search(
        SearchSource(
            code="visits",
            label="客户走访",
            find=selectors.search_visits,
            order=45,
            list_url_name="visits:visit_list",
        )
    )
    register_search(
        SearchSource(
            code="followups",
            label="督办事项",
            find=selectors.search_followups,
            order=46,
            list_url_name="visits:followup_list",
        )
    )
    register_client_panel("visits", visits_panel, order=20)
    register_client_panel("followups", followups_panel, order=25)
    register_client_panel("crm", crm_panel, order=30)
    register_status_listener(on_status_change)
    register_posting_listener(on_posting_change)


# -- home blocks -----------------------------------------------------------------


def my_visits_block(request) -> dict | None:
    """A client manager's visits: his clients overdue by tier, plans of the
    coming week, and the month's logs to submit."""
    user = request.user
    if not permissions.files_visits(user):
        return None
    today = timezone.localdate()
    overdue = selectors.overdue_clients(Client.objects.filter(manager=user), today)
    overdue_rows = list(overdue[:5])
    overdue_count = overdue.count() if len(overdue_rows) == 5 else len(overdue_rows)
    plans = list(
        selectors.plans_for(user)
        .filter(
            manager=user, status="planned", planned_on__range=(today, today + dt.timedelta(days=7))
        )
        .order_by("planned_on", "id")[:5]
    )
    month = rules.month_start(today)
    months = selectors.my_months(user, count=2)
    to_submit = [
        m
        for m in months
        if rules.may_submit_month(m["month"], today)
        and (m["submission"] is None or not m["submission"].locked or m["unsent"])
    ]
    if not overdue_rows and not plans and not to_submit:
        return None
    return {
        "code": "visits_mine",
        "title": "客户走访",
        "template": "visits/home/mine.html",
        "overdue": [(c, selectors.status_of(c, today)) for c in overdue_rows],
        "overdue_count": overdue_count,
        "plans": plans,
        "to_submit": to_submit,
        "month": month,
        "today": today,
        "link": reverse("visits:visit_new"),
        "link_label": "登记走访",
    }


def my_followups_block(request) -> dict | None:
    rows = list(selectors.my_open_followups(request.user)[:6])
    if not rows:
        return None
    return {
        "code": "visits_followups",
        "title": "我的督办事项",
        "template": "visits/home/followups.html",
        "items": rows[:5],
        "more": len(rows) > 5,
        "today": timezone.localdate(),
        "link": reverse("visits:followup_list") + "?mine=on",
        "link_label": "全部",
    }


def leader_block(request) -> dict | None:
    """The leader's checks: visits and slips that do not match, overlaps,
    overdue follow-ups, logs waiting for verification, clients waiting for
    a new owner."""
    user = request.user
    if not permissions.leads_visits(user):
        return None
    today = timezone.localdate()
    start = today - dt.timedelta(days=LOOKBACK_DAYS)
    flags = selectors.crosscheck(user, start, today)
    flags = [f for f in flags if f.person.pk != user.pk]
    counts = {
        "visit_without_slip": sum(1 for f in flags if f.kind == "visit_without_slip"),
        "slip_without_visit": sum(1 for f in flags if f.kind == "slip_without_visit"),
        **selectors.leader_counts(user, start, today),
    }
    if not any(counts.values()):
        return None
    return {
        "code": "visits_leader",
        "title": "走访督导",
        "template": "visits/home/leader.html",
        "counts": counts,
        "days": LOOKBACK_DAYS,
        "start": start,
        "link": reverse("visits:crosscheck"),
        "link_label": "出访单核对",
    }


# -- 大客户档案 panels on the client page ----------------------------------------


def visits_panel(request, client) -> dict | None:
    today = timezone.localdate()
    status, stats = selectors.client_visit_status(client, today)
    return {
        "code": "visits",
        "title": "走访情况",
        "template": "visits/panels/visits.html",
        "status": status,
        "stats": stats,
        "visits": list(selectors.client_visits(client)),
        "plans": list(selectors.client_plans(client, today)),
        "can_visit": permissions.files_visits(request.user)
        and selectors.may_visit(request.user, client),
    }


def followups_panel(request, client) -> dict | None:
    rows = list(selectors.client_followups(client))
    return {
        "code": "followups",
        "title": "督办事项（未办结）",
        "template": "visits/panels/followups.html",
        "rows": rows,
        "closed": selectors.client_closed_followups(client),
        "today": timezone.localdate(),
    }


def crm_panel(request, client) -> dict | None:
    rows = selectors.client_crm_figures(client)
    return {
        "code": "crm",
        "title": "CRM 业绩（近 12 个月）",
        "template": "visits/panels/crm.html",
        "rows": rows,
    }


# -- a client manager leaving or moving (R-7.5) --------------------------------------


def _tell_leaders(user, why: str) -> None:
    from approvals.notify import notify
    from staff.selectors import team_leader

    count = Client.objects.filter(manager=user).exclude(status=Client.Status.CLOSED).count()
    if not count or not user.team_id:
        return
    leader = team_leader(user.team)
    if leader is None or leader.pk == user.pk:
        return
    notify(
        [leader],
        title=f"{user.name}{why}，名下 {count} 户客户待移交",
        body="请在“客户走访 → 客户移交”中将其客户移交给其他客户经理，未办结的督办事项随客户一并移交。",
        url=reverse("visits:handover_form", args=[user.pk]),
        dedup_key=f"visits-handover-{user.pk}-{why}",
    )


def on_status_change(*, actor, user, old_status, new_status, on) -> None:
    if new_status == "leaving":
        _tell_leaders(user, "办理离职")


def on_posting_change(*, actor, user, old, new) -> None:
    if old is not None and old.team_id and old.team_id != new.team_id:
        from staff.models import Team

        team = Team.objects.filter(pk=old.team_id).first()
        if team is None:
            return
        # The old team's leader reassigns the clients he leaves behind.
        from approvals.notify import notify
        from staff.selectors import team_leader

        count = Client.objects.filter(manager=user, team_id=old.team_id).count()
        leader = team_leader(team)
        if count and leader is not None and leader.pk != user.pk:
            notify(
                [leader],
                title=f"{user.name}已调离{team.name}，名下 {count} 户客户待移交",
                body="请在“客户走访 → 客户移交”中处理。",
                url=reverse("visits:handover_form", args=[user.pk]),
                dedup_key=f"visits-handover-{user.pk}-moved-{new.valid_from:%Y%m%d}",
            )
