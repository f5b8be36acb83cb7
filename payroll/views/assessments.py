import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils import timezone

from payroll import services
from payroll.models import DutyAssessment, DutyItem
from staff.access import scope_for
from staff.models import Role, Team, User


def _month(value: str | None) -> dt.date:
    try:
        year, month = (int(p) for p in (value or "").split("-")[:2])
        return dt.date(year, month, 1)
    except ValueError:
        today = timezone.localdate().replace(day=1)
        return (today - dt.timedelta(days=1)).replace(day=1)


def duty(request):
    """岗位职责考核: the team leader scores each member for a month (R-5.3)."""
    scope = scope_for(request.user)
    teams = (
        Team.objects.filter(pk__in=scope.ids(Role.TEAM_LEADER))
        if not scope.superuser
        else Team.objects.all()
    )
    if not teams.exists():
        raise PermissionDenied("只有团队负责人可以进行岗位职责考核。")
    team = (
        teams.filter(pk=request.GET.get("team") or request.POST.get("team")).first()
        or teams.first()
    )
    month = _month(request.GET.get("month") or request.POST.get("month"))
    items = list(DutyItem.objects.filter(is_active=True))
    members = list(
        User.objects.filter(team=team)
        .exclude(status=User.Status.LEFT)
        .exclude(pk=request.user.pk)
        .order_by("employee_no")
    )
    errors = []
    if request.method == "POST":
        saved = 0
        for member in members:
            raw = {
                item.pk: request.POST.get(f"s-{member.pk}-{item.pk}", "").strip() for item in items
            }
            if not any(raw.values()):
                continue
            try:
                points = {pk: Decimal(value or "0") for pk, value in raw.items()}
                services.assess_duty(
                    actor=request.user,
                    person=member,
                    month=month,
                    points=points,
                    note=request.POST.get(f"n-{member.pk}", ""),
                )
                saved += 1
            except (InvalidOperation, ValidationError) as exc:
                text = (
                    "；".join(exc.messages) if isinstance(exc, ValidationError) else "得分须为数字"
                )
                errors.append(f"{member.name}：{text}")
        if saved:
            messages.success(request, f"已保存 {saved} 人的考核。")
    existing = {
        a.person_id: a
        for a in DutyAssessment.objects.filter(person__in=members, month=month).prefetch_related(
            "scores"
        )
    }
    rows = []
    for member in members:
        assessment = existing.get(member.pk)
        scores = {s.item_id: s.points for s in assessment.scores.all()} if assessment else {}
        rows.append(
            {
                "person": member,
                "assessment": assessment,
                "cells": [(f"s-{member.pk}-{item.pk}", scores.get(item.pk, "")) for item in items],
            }
        )
    return render(
        request,
        "payroll/duty.html",
        {
            "teams": teams,
            "team": team,
            "month": month,
            "items": items,
            "rows": rows,
            "errors": errors,
        },
    )
