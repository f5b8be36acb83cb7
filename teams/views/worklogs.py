import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.forms import apply_errors
from portal.history import change_log
from portal.views import paginate
from staff.models import User
from staff.permissions import holds_any_role
from teams import selectors, services
from teams.filters import SpotCheckFilter, WorkLogFilter
from teams.forms import SpotCheckForm, VerdictForm, WorkLogForm
from teams.models import SpotCheck, SpotCheckItem, WorkLog
from teams.permissions import leads, teams_led
from teams.views.common import messages_of, scoped_export, team_in_scope


def _filtered(request):
    return WorkLogFilter(
        request.GET or None, queryset=selectors.work_logs_for(request.user), user=request.user
    )


def worklog_list(request):
    today = timezone.localdate()
    logs = _filtered(request)
    mine_today = WorkLog.objects.filter(person=request.user, date=today).first()
    month_start = today.replace(day=1)
    my_missing = (
        selectors.missing_logs([request.user], month_start, today) if request.user.team_id else []
    )
    return render(
        request,
        "teams/worklog_list.html",
        {
            "filter": logs,
            "page_obj": paginate(request, logs.ordered("-date", "person__employee_no")),
            "today": today,
            "mine_today": mine_today,
            "my_missing": my_missing[0]["days"] if my_missing else [],
            "files_logs": request.user.team_id is not None,
            "can_export": holds_any_role(request.user),
            "led": teams_led(request.user),
        },
    )


def worklog_export(request):
    return scoped_export(request, "worklogs")


def worklog_today(request):
    """File or amend today's 工作日志 (from a phone)."""
    today = timezone.localdate()
    log = WorkLog.objects.filter(person=request.user, date=today).first()
    initial = {}
    if log is not None:
        initial = {
            "done": log.done,
            "contacts": log.contacts,
            "plan_tomorrow": log.plan_tomorrow,
            "clients": list(log.clients.all()),
        }
    form = WorkLogForm(request.POST or None, initial=initial, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_work_log(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{today:%m月%d日}的工作日志已保存。")
            return redirect("teams:worklog_list")
    return render(request, "teams/worklog_form.html", {"form": form, "today": today, "log": log})


def worklog_detail(request, pk: int):
    log = get_object_or_404(
        selectors.work_logs_for(request.user).prefetch_related("clients"), pk=pk
    )
    checks = (
        SpotCheckItem.objects.filter(work_log=log).exclude(verdict="").select_related("checked_by")
    )
    return render(
        request,
        "teams/worklog_detail.html",
        {
            "log": log,
            "checks": checks,
            "change_log": change_log(log),
            "editable": log.person_id == request.user.pk and log.date == timezone.localdate(),
        },
    )


def _period(request, default_days: int = 30) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = (
            today.replace(day=1) if today.day > 1 else (today - dt.timedelta(days=1)).replace(day=1)
        )
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return start, max(start, end)


def worklog_missing(request, pk: int):
    team = team_in_scope(request.user, pk)
    start, end = _period(request)
    people = (
        User.objects.visible_to(request.user)
        .filter(team=team)
        .exclude(status=User.Status.LEFT)
        .order_by("employee_no")
    )
    return render(
        request,
        "teams/worklog_missing.html",
        {
            "team": team,
            "start": start,
            "end": end,
            # Worked out for the whole team (a fixed number of queries),
            # shown a page at a time.
            "page_obj": paginate(request, selectors.missing_logs(people, start, end)),
        },
    )


def spotcheck_list(request):
    checks = SpotCheckFilter(
        request.GET or None, queryset=selectors.spot_checks_for(request.user), user=request.user
    )
    return render(
        request,
        "teams/spotcheck_list.html",
        {
            "filter": checks,
            "page_obj": paginate(request, checks.ordered("-drawn_at")),
            "led": teams_led(request.user),
            "can_export": holds_any_role(request.user),
        },
    )


def spotcheck_export(request):
    return scoped_export(request, "teams_spotchecks")


def spotcheck_new(request, pk: int):
    team = team_in_scope(request.user, pk)
    if not leads(request.user, team):
        raise PermissionDenied("只有团队负责人可以抽查本团队的工作日志。")
    today = timezone.localdate()
    form = SpotCheckForm(
        request.POST or None,
        initial={"period_start": today.replace(day=1), "period_end": today, "sample_percent": 10},
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = services.draw_spot_check(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, f"已随机抽取 {check.items.count()} 份日志（随机种子 {check.seed}）。"
            )
            return redirect(check)
    return render(request, "teams/spotcheck_form.html", {"team": team, "form": form})


def spotcheck_detail(request, pk: int):
    check = get_object_or_404(selectors.spot_checks_for(request.user), pk=pk)
    items = list(selectors.spot_check_items(check))
    can_check = leads(request.user, check.team)
    for item in items:
        item.form = VerdictForm(
            initial={"verdict": item.verdict or "good", "comment": item.comment},
            prefix=f"v{item.pk}",
        )
    return render(
        request,
        "teams/spotcheck_detail.html",
        {"check": check, "items": items, "can_check": can_check},
    )


@require_POST
def spotcheck_verdict(request, pk: int, item_pk: int):
    check = get_object_or_404(SpotCheck.objects.visible_to(request.user), pk=pk)
    item = get_object_or_404(SpotCheckItem, pk=item_pk, spot_check=check)
    form = VerdictForm(request.POST, prefix=f"v{item.pk}")
    if form.is_valid():
        try:
            services.record_verdict(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, f"{item.work_log}：{messages_of(exc)}")
        else:
            messages.success(request, f"已记录：{item.work_log}。")
    return redirect(check)


def coverage(request, pk: int):
    team = team_in_scope(request.user, pk)
    start, end = _period(request, 90)
    return render(
        request,
        "teams/coverage.html",
        {
            "team": team,
            "start": start,
            "end": end,
            "page_obj": paginate(request, selectors.coverage(team, start, end)),
        },
    )
