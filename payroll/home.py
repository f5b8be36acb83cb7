"""Home-page blocks of the payroll chapter (R-8.4): a person's last payslip,
finance's month (import, review, computation, sheet) per branch, HQ's view
of the filed sheets of every branch. Each costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from clients.models import CrmImport
from payroll import selectors
from payroll.models import PayrollRun, PayrollSheet
from payroll.permissions import PAY_VIEW_ROLES, finance_branches
from staff.access import scope_for
from staff.models import Branch


def pay_month(today: dt.date) -> dt.date:
    """The month being paid: last month (its figures arrive early in this one)."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def register() -> None:
    from portal.registry import register_home_block

    register_home_block("my_payslip", my_payslip, order=30, audience=lambda u: bool(u.team_id))
    register_home_block("pay_month", month_status, order=18, audience=_pay_viewer)
    register_home_block("filed_sheets", filed_sheets, order=19, audience=lambda u: scope_for(u).hq)


def _pay_viewer(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or bool(scope.ids(*PAY_VIEW_ROLES))


def my_payslip(request) -> dict | None:
    slip = selectors.own_payslips(request.user).first()
    if slip is None:
        return None
    return {
        "code": "my_payslip",
        "title": "我的工资条",
        "template": "payroll/home_blocks/my_payslip.html",
        "slip": slip,
        "link": reverse("payroll:my_payslips"),
        "link_label": "全部工资条",
    }


def _latest_sheets(branches, month) -> dict[int, PayrollSheet]:
    latest: dict[int, PayrollSheet] = {}
    for sheet in PayrollSheet.objects.filter(branch__in=branches, month=month).order_by(
        "created_at", "id"
    ):
        latest[sheet.branch_id] = sheet  # the newest wins
    return latest


def month_status(request) -> dict | None:
    """Finance and branch management: where last month's pay stands."""
    branches = list(finance_branches(request.user).order_by("code")[:30])
    if not branches:
        return None
    month = pay_month(timezone.localdate())
    imports = {
        i.branch_id: i
        for i in CrmImport.objects.filter(
            branch__in=branches, month=month, status=CrmImport.Status.CURRENT
        )
    }
    runs = {
        r.branch_id: r
        for r in PayrollRun.objects.filter(
            branch__in=branches, month=month, status=PayrollRun.Status.CURRENT
        )
    }
    sheets = _latest_sheets(branches, month)
    rows = [
        {"branch": b, "crm": imports.get(b.pk), "run": runs.get(b.pk), "sheet": sheets.get(b.pk)}
        for b in branches
    ]
    return {
        "code": "pay_month",
        "title": f"{month.year} 年 {month.month} 月薪酬进度",
        "template": "payroll/home_blocks/month_status.html",
        "rows": rows,
        "link": reverse("payroll:home"),
        "link_label": "月度薪酬",
    }


def filed_sheets(request) -> dict | None:
    """HQ: which branches have filed last month's signed payroll sheet."""
    if not scope_for(request.user).hq:
        return None
    month = pay_month(timezone.localdate())
    branches = list(Branch.objects.filter(is_active=True).order_by("code"))
    signed = {
        s.branch_id: s
        for s in PayrollSheet.objects.filter(
            month=month, status=PayrollSheet.Status.SIGNED
        ).select_related("branch")
    }
    return {
        "code": "filed_sheets",
        "title": f"{month.year} 年 {month.month} 月薪酬月报表备案",
        "template": "payroll/home_blocks/filed_sheets.html",
        "signed": [signed[b.pk] for b in branches if b.pk in signed],
        "missing": [b for b in branches if b.pk not in signed],
        "link": reverse("payroll:sheet_list"),
        "link_label": "全部报表",
    }
