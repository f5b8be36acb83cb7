from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from portal.registry import team_figures
from staff.models import User
from teams import selectors, services
from teams.models import SPLIT_METRICS, Metric
from teams.permissions import leads
from teams.views.common import team_in_scope

MONTHS = list(range(1, 13))
GRID_METRICS = (Metric.NEW_ACCOUNTS, Metric.NET_REVENUE, Metric.SALES)


def _read_cells(post, members) -> tuple[dict, list[str]]:
    cells, errors = {}, []
    ids = {m.pk for m in members}
    for key, raw in post.items():
        parts = key.split(":")
        if len(parts) != 3 or parts[0] not in Metric.values:
            continue
        metric, person_id, month = parts[0], int(parts[1]), int(parts[2])
        if person_id not in ids:
            continue
        raw = raw.strip().replace(",", "")
        if not raw:
            continue
        try:
            cells[(person_id, month, metric)] = Decimal(raw)
        except InvalidOperation:
            errors.append(f"“{raw}”不是数字。")
    return cells, errors


def _shown(value, metric: str):
    if isinstance(value, Decimal) and metric == Metric.NEW_ACCOUNTS:
        return int(value)
    return value


def targets(request, pk: int, year: int):
    """目标分解: the leader splits the approved annual targets (R-1.4)."""
    team = team_in_scope(request.user, pk)
    plan = selectors.annual_plan(team, year)
    split = selectors.current_split(team, year)
    members = list(selectors.split_members(team))
    editable = plan is not None and leads(request.user, team)
    values = selectors.split_values(split)
    errors: list[str] = []
    if request.method == "POST" and editable:
        cells, errors = _read_cells(request.POST, members)
        if not errors:
            try:
                services.save_target_split(
                    actor=request.user, plan=plan, cells=cells, note=request.POST.get("note", "")
                )
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, f"{year} 年目标分解已保存。")
                return redirect("teams:targets", team.pk, year)
        values = cells
    grids = []
    for metric in GRID_METRICS:
        rows = [
            {
                "person": m,
                "cells": [
                    (
                        f"{metric}:{m.pk}:{month}",
                        _shown(values.get((m.pk, month, metric), ""), metric),
                    )
                    for month in MONTHS
                ],
            }
            for m in members
        ]
        total = getattr(plan, SPLIT_METRICS[metric]) if plan and metric in SPLIT_METRICS else None
        grids.append(
            {
                "metric": metric,
                "label": Metric(metric).label,
                "rows": rows,
                "total": total,
                "decimals": 0 if metric == Metric.NEW_ACCOUNTS else 2,
            }
        )
    assets = [
        {
            "person": m,
            "name": f"{Metric.CLIENT_ASSETS}:{m.pk}:12",
            "value": values.get((m.pk, 12, Metric.CLIENT_ASSETS), ""),
        }
        for m in members
    ]
    return render(
        request,
        "teams/targets.html",
        {
            "team": team,
            "year": year,
            "plan": plan,
            "split": split,
            "grids": grids,
            "assets": assets,
            "months": MONTHS,
            "editable": editable,
            "errors": errors,
        },
    )


def _charts(data):
    return [
        {
            "id": f"chart-{metric}",
            "label": Metric(metric).label,
            "config": selectors.progress_chart(data, metric),
        }
        for metric in selectors.TRACKED
    ]


def _sections(team, year: int, person=None) -> dict:
    """Attendance, meetings, visits … of the year so far, beside the targets."""
    start, end = selectors.year_so_far(year)
    if end < start:
        return {}
    return {
        "sections": team_figures(team, start, end, person=person),
        "sections_period": f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
    }


def team_progress(request, pk: int, year: int):
    team = team_in_scope(request.user, pk)
    data = selectors.progress(team, year)
    return render(
        request,
        "teams/progress.html",
        {
            "team": team,
            "year": year,
            "data": data,
            "charts": _charts(data),
            "subject": team.name,
            "people": selectors.split_members(team),
            **_sections(team, year),
        },
    )


def person_progress(request, user_pk: int, year: int):
    person = get_object_or_404(
        User.objects.visible_to(request.user).select_related("team"), pk=user_pk
    )
    if person.team is None:
        messages.info(request, f"{person.name} 不属于任何营销团队。")
        return redirect(person)
    data = selectors.progress(person.team, year, person=person)
    return render(
        request,
        "teams/progress.html",
        {
            "team": person.team,
            "year": year,
            "data": data,
            "charts": _charts(data),
            "subject": person.name,
            "person": person,
            **_sections(person.team, year, person),
        },
    )
