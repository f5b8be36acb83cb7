"""客户级别与走访设置: tiers with their visit frequency (R-7.5), the overlap
window per branch (R-7.2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from clients.models import ClientTier
from portal.forms import apply_errors
from staff.access import BRANCH_MANAGEMENT, scope_for
from staff.models import Branch
from visits import permissions, selectors
from visits.forms import SettingsForm, TierForm
from visits.models import TierChange, VisitSettings
from visits.services import settings as services


def _branches(user):
    scope = scope_for(user)
    if permissions.can_edit_company_settings(user):
        return Branch.objects.order_by("code")
    return Branch.objects.filter(pk__in=scope.ids(*BRANCH_MANAGEMENT)).order_by("code")


def settings_page(request):
    user = request.user
    if not permissions.can_view_settings(user):
        raise PermissionDenied("客户级别与走访设置由系统管理员和营业部领导维护。")
    branches = list(_branches(user))
    rows = {s.branch_id: s for s in VisitSettings.objects.filter(branch__in=[*branches, None])}
    default = rows.get(None) or selectors.settings_for(None)
    return render(
        request,
        "visits/settings.html",
        {
            "tiers": ClientTier.objects.order_by("rank", "code"),
            "default": default,
            "branch_rows": [(b, rows.get(b.pk)) for b in branches],
            "changes": TierChange.objects.select_related("actor", "tier")[:20],
            "can_edit_company": permissions.can_edit_company_settings(user),
            "tier_form": TierForm(),
        },
    )


def tier_edit(request, pk: int | None = None):
    if not permissions.can_edit_company_settings(request.user):
        raise PermissionDenied("只有系统管理员可以设置客户级别。")
    tier = get_object_or_404(ClientTier, pk=pk) if pk else None
    form = TierForm(request.POST or None, instance=tier)
    if tier is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_tier(
                actor=request.user,
                tier=tier,
                code=data.get("code") or "",
                name=data["name"],
                rank=data["rank"],
                visit_interval_days=data["visit_interval_days"],
                is_active=data["is_active"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "客户级别已保存。")
            return redirect("visits:settings")
    return render(request, "visits/tier_form.html", {"form": form, "tier": tier})


def settings_edit(request, branch_pk: int | None = None):
    user = request.user
    branch = get_object_or_404(Branch, pk=branch_pk) if branch_pk else None
    allowed = (
        permissions.can_edit_branch_settings(user, branch.pk)
        if branch
        else permissions.can_edit_company_settings(user)
    )
    if not allowed:
        raise PermissionDenied("您不能修改这里的走访设置。")
    current = selectors.settings_for(branch.pk if branch else None)
    form = SettingsForm(
        request.POST or None,
        initial={"overlap_days": current.overlap_days, "followup_days": current.followup_days},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(actor=user, branch=branch, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "走访设置已保存。")
            return redirect("visits:settings")
    return render(request, "visits/settings_form.html", {"form": form, "branch": branch})
