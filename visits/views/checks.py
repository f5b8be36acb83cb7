"""The leader's checks: clients overdue for a visit by tier (R-7.5), the
overlap list (R-7.2) and the cross-check of visits with outing slips."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from clients.models import Client
from portal.exports import clean_filters, xlsx_response
from portal.views import paginate
from visits import permissions, rules, selectors
from visits.exports import overdue_columns
from visits.filters import OverdueFilter, OverlapFilter
from visits.forms import parse_month


def _overdue(request, today):
    clients = OverdueFilter(
        request.GET or None, queryset=Client.objects.visible_to(request.user), user=request.user
    )
    return clients, selectors.overdue_clients(clients.qs, today)


def overdue(request):
    today = timezone.localdate()
    clients, rows = _overdue(request, today)
    page = paginate(request, rows)
    tiers = selectors.active_tiers()
    return render(
        request,
        "visits/overdue_list.html",
        {
            "filter": clients,
            "page_obj": page,
            "rows": [(c, selectors.status_of(c, today)) for c in page.object_list],
            "tiers": tiers,
            "today": today,
            "can_export": permissions.can_export(request.user),
            "can_file": permissions.files_visits(request.user),
        },
    )


def overdue_export(request):
    if not permissions.can_export(request.user):
        raise PermissionDenied("您没有导出的权限。")
    today = timezone.localdate()
    _clients, rows = _overdue(request, today)
    return xlsx_response(
        user=request.user,
        what="逾期未访客户",
        columns=overdue_columns(today, selectors.status_of),
        rows=rows.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def overlap_list(request):
    if not permissions.leads_visits(request.user):
        raise PermissionDenied("走访重叠清单供团队负责人、营业部领导查看。")
    overlaps = OverlapFilter(
        request.GET or None, queryset=selectors.overlaps_for(request.user), user=request.user
    )
    return render(
        request,
        "visits/overlap_list.html",
        {
            "filter": overlaps,
            "page_obj": paginate(request, overlaps.qs.order_by("-on_date", "-id")),
            "window": selectors.settings_for(request.user.branch_id).overlap_days,
        },
    )


def crosscheck(request):
    """A month of in-person visits against outing slips (default: this month)."""
    today = timezone.localdate()
    month = parse_month(request.GET.get("month"), today)
    start, end = month, min(rules.month_end(month), today)
    flags = selectors.crosscheck(request.user, start, end) if start <= today else []
    kind = request.GET.get("kind", "")
    if kind:
        flags = [f for f in flags if f.kind == kind]
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = rules.month_end(month) + dt.timedelta(days=1)
    return render(
        request,
        "visits/crosscheck.html",
        {
            "flags": flags,
            "month": month,
            "start": start,
            "end": end,
            "kind": kind,
            "previous": previous,
            "following": following if following <= today else None,
            "is_leader": permissions.leads_visits(request.user),
        },
    )
