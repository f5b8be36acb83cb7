"""The month's computation, payslips that explain every figure, and the
finance overview."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from clients.models import CrmFigure, CrmImport
from payroll import selectors, services
from payroll.forms import BranchMonthForm
from payroll.models import PayrollRun, Payslip, PayslipLine
from payroll.permissions import branches_financed, finance_branches
from portal.views import paginate


def _recent_months(count: int = 6) -> list[dt.date]:
    month = timezone.localdate().replace(day=1)
    out = []
    for _ in range(count):
        out.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return out


def home(request):
    """Finance's month board: CRM import and review, computation, per branch."""
    branches = list(finance_branches(request.user).order_by("code"))
    recent = _recent_months(24)
    active = set(
        CrmImport.objects.filter(branch__in=branches, month__in=recent).values_list(
            "month", flat=True
        )
    )
    months = sorted(set(recent[:6]) | active, reverse=True)[:12]
    imports = {
        (i.branch_id, i.month): i
        for i in CrmImport.objects.filter(
            branch__in=branches, month__in=months, status=CrmImport.Status.CURRENT
        ).select_related("reviewed_by")
    }
    runs = {
        (r.branch_id, r.month): r
        for r in PayrollRun.objects.filter(
            branch__in=branches, month__in=months, status=PayrollRun.Status.CURRENT
        )
    }
    board = [
        {
            "branch": b,
            "months": [
                {"month": m, "crm": imports.get((b.pk, m)), "run": runs.get((b.pk, m))}
                for m in months
            ],
        }
        for b in branches
    ]
    form = BranchMonthForm(
        branches=branches_financed(request.user), initial={"month": recent[1].strftime("%Y-%m")}
    )
    return render(request, "payroll/home.html", {"board": board, "form": form})


@require_POST
def compute(request):
    form = BranchMonthForm(request.POST, branches=branches_financed(request.user))
    if not form.is_valid():
        messages.error(request, "请选择营业部和月份。")
        return redirect("payroll:home")
    try:
        run = services.compute_payroll(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("payroll:home")
    messages.success(
        request,
        f"已计算 {run.totals['people']} 人，实发合计 {run.totals['net']} 元（第 {run.version} 版）。",
    )
    return redirect(run)


def run_list(request):
    runs = (
        PayrollRun.objects.visible_to(request.user)
        .select_related("branch", "computed_by")
        .order_by("-month", "branch__code", "-version")
    )
    return render(request, "payroll/run_list.html", {"page_obj": paginate(request, runs)})


def run_detail(request, pk: int):
    run = get_object_or_404(
        PayrollRun.objects.visible_to(request.user).select_related("branch", "crm_import"), pk=pk
    )
    slips = run.payslips.select_related("person", "team", "level").order_by(
        "team__code", "person__employee_no"
    )
    return render(request, "payroll/run_detail.html", {"run": run, "slips": slips})


def payslip_detail(request, pk: int):
    slip = get_object_or_404(
        Payslip.objects.visible_to(request.user)
        .select_related("person", "run__branch", "team", "level", "standard")
        .prefetch_related(
            Prefetch("lines", queryset=PayslipLine.objects.order_by("order")), "charges"
        ),
        pk=pk,
    )
    lines = list(slip.lines.all())
    groups = [
        (label, [ln for ln in lines if ln.kind == kind]) for kind, label in PayslipLine.Kind.choices
    ]
    return render(request, "payroll/payslip_detail.html", {"slip": slip, "groups": groups})


def payslip_crm(request, pk: int):
    """Drill-down: the CRM rows behind a payslip's figures."""
    slip = get_object_or_404(
        Payslip.objects.visible_to(request.user).select_related("run__crm_import", "person"), pk=pk
    )
    rows = CrmFigure.objects.filter(
        crm_import=slip.run.crm_import, manager=slip.person
    ).select_related("client")
    return render(
        request,
        "payroll/payslip_crm.html",
        {"slip": slip, "page_obj": paginate(request, rows.order_by("source_row"))},
    )


def my_payslips(request):
    slips = selectors.own_payslips(request.user)
    return render(request, "payroll/my_payslips.html", {"page_obj": paginate(request, slips)})
