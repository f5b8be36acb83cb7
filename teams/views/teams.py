from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.forms import apply_errors
from portal.views import paginate
from staff.models import Role, RoleAssignment, Team, User, in_force_q
from teams import selectors, services
from teams.forms import DutyForm, PairingForm
from teams.models import FilingKind, FilingStatus, Pairing, TeamFiling
from teams.permissions import leads, manages
from teams.views.common import messages_of, team_in_scope


def team_list(request):
    today = timezone.localdate()
    year = today.year
    leaders = RoleAssignment.objects.filter(
        in_force_q(today), role=Role.TEAM_LEADER, team=OuterRef("pk")
    )
    plan = TeamFiling.objects.filter(
        team=OuterRef("pk"), kind=FilingKind.ANNUAL_PLAN, year=year, status=FilingStatus.APPROVED
    )
    teams = (
        Team.objects.visible_to(request.user)
        .select_related("branch")
        .annotate(
            size=Count("members", filter=~Q(members__status=User.Status.LEFT)),
            has_leader=Exists(leaders),
            has_plan=Exists(plan),
        )
        .order_by("branch__code", "code")
    )
    page = paginate(request, teams)
    leader_names: dict[int, list[str]] = {}
    for ra in RoleAssignment.objects.filter(
        in_force_q(today), role=Role.TEAM_LEADER, team__in=[t.pk for t in page]
    ).select_related("user"):
        leader_names.setdefault(ra.team_id, []).append(ra.user.name)
    for team in page:
        team.leader_names = "、".join(leader_names.get(team.pk, [])) or "未任命"
    return render(request, "teams/team_list.html", {"page_obj": page, "year": year})


def team_detail(request, pk: int):
    team = team_in_scope(request.user, pk)
    today = timezone.localdate()
    members = list(selectors.team_members(team))
    duty_of = {d.person_id: d for d in selectors.duties(team, today)}
    for m in members:
        m.duty = duty_of.get(m.pk)
    filings = (
        TeamFiling.objects.filter(team=team, year__in=[today.year, today.year + 1])
        .exclude(status=FilingStatus.SUPERSEDED)
        .select_related("partner_bank")
        .order_by("-year", "kind")
    )
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "members": members,
            "groups": selectors.org_groups(team),
            "pairings": selectors.pairings(team, today),
            "filings": filings,
            "rules": selectors.rules_in_force(team),
            "year": today.year,
            "is_leader": leads(request.user, team),
            "manages": manages(request.user, team),
        },
    )


def duties(request, pk: int):
    team = team_in_scope(request.user, pk)
    if not leads(request.user, team):
        raise PermissionDenied("只有团队负责人可以安排分工。")
    duty_form = DutyForm(request.POST if request.POST.get("form") == "duty" else None, team=team)
    pairing_form = PairingForm(
        request.POST if request.POST.get("form") == "pairing" else None, team=team
    )
    if request.method == "POST":
        form = duty_form if request.POST.get("form") == "duty" else pairing_form
        if form.is_valid():
            try:
                if form is duty_form:
                    services.set_duty(actor=request.user, team=team, **form.cleaned_data)
                else:
                    services.pair_members(actor=request.user, team=team, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("teams:duties", team.pk)
    return render(
        request,
        "teams/duties.html",
        {
            "team": team,
            "duty_form": duty_form,
            "pairing_form": pairing_form,
            "duties": selectors.duties(team),
            "pairings": selectors.pairings(team),
        },
    )


@require_POST
def pairing_end(request, pk: int):
    pairing = get_object_or_404(
        Pairing.objects.filter(team__in=Team.objects.visible_to(request.user)), pk=pk
    )
    try:
        services.end_pairing(actor=request.user, pairing=pairing, on=timezone.localdate())
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, "结对已解除。")
    return redirect("teams:duties", pairing.team_id)
