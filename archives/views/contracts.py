"""Contracts and agreements (R-6.2) and the expiry lists (R-8.4)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from archives import permissions, selectors, services
from archives.exports import contract_columns, expiry_columns
from archives.filters import ContractFilter
from archives.forms import ContractForm, KeepingForm, RenewForm, TerminateForm
from archives.models.contracts import EXPIRY_WINDOW_DAYS, default_end
from archives.selectors.contracts import SAC_WINDOW_DAYS
from archives.selectors.files import contract_label_for
from archives.views.common import today
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.views import paginate


def _filtered(request) -> ContractFilter:
    return ContractFilter(
        request.GET or None,
        queryset=selectors.contracts_for(request.user).order_by(
            "-starts_on", "person__employee_no"
        ),
        user=request.user,
        today=today(),
    )


def contract_list(request):
    if not permissions.oversees_files(request.user):
        raise PermissionDenied("您没有查看合同清单的权限。")
    contracts = _filtered(request)
    page = paginate(request, contracts.qs)
    day = today()
    for contract in page:
        contract.state = contract.state_on(day, renewed=contract.is_renewed)
        contract.state_label = contract.State(contract.state).label
    return render(
        request,
        "archives/contract_list.html",
        {"filter": contracts, "page_obj": page, "can_export": permissions.can_export(request.user)},
    )


def contract_export_xlsx(request):
    if not (permissions.can_export(request.user) and permissions.oversees_files(request.user)):
        raise PermissionDenied("您没有导出合同清单的权限。")
    contracts = _filtered(request)
    return xlsx_response(
        user=request.user,
        what="合同与协议清单",
        columns=contract_columns(today()),
        rows=contracts.qs.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def contract_new(request, pk: int):
    person = selectors.file_person(request.user, pk)
    if not permissions.can_manage_contracts(request.user, person):
        raise PermissionDenied("只有本营业部交易管理岗或营业部经理可以登记合同。")
    start = person.hired_on if person.hired_on and person.hired_on >= today() else today()
    form = ContractForm(
        request.POST or None,
        request.FILES or None,
        initial={"starts_on": start, "ends_on": default_end(start), "signed_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(
                actor=request.user, person=person, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{contract.get_kind_display()}。")
            return redirect("archives:file_detail", person.pk)
    return render(
        request,
        "archives/contract_form.html",
        {"person": person, "form": form, "title": f"登记{contract_label_for(person)}"},
    )


def contract_detail(request, pk: int):
    contract = selectors.contract_detail(request.user, pk)
    person = contract.person
    manage = permissions.can_manage_contracts(request.user, person)
    day = today()
    return render(
        request,
        "archives/contract_detail.html",
        {
            "contract": contract,
            "person": person,
            "state": contract.State(contract.state_on(day, renewed=contract.is_renewed)).label,
            "chain": selectors.chain_of(contract),
            "can_manage": manage,
            "can_renew": manage and not contract.is_renewed and contract.terminated_on is None,
            "can_terminate": manage and contract.terminated_on is None and contract.ends_on >= day,
            "change_log": change_log(contract),
        },
    )


def contract_renew(request, pk: int):
    contract = selectors.contract_detail(request.user, pk)
    if not permissions.can_manage_contracts(request.user, contract.person):
        raise PermissionDenied("只有本营业部交易管理岗或营业部经理可以续签合同。")
    from datetime import timedelta

    start = contract.ends_on + timedelta(days=1)
    form = RenewForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "starts_on": start,
            "ends_on": default_end(start),
            "signed_on": min(today(), contract.ends_on),
            "original_location": contract.original_location,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.renew_contract(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已续签：{new.starts_on} 至 {new.ends_on}。")
            return redirect(new)
    return render(
        request,
        "archives/contract_form.html",
        {
            "person": contract.person,
            "form": form,
            "title": f"续签{contract.get_kind_display()}",
            "previous": contract,
        },
    )


def contract_terminate(request, pk: int):
    contract = selectors.contract_detail(request.user, pk)
    if not permissions.can_manage_contracts(request.user, contract.person):
        raise PermissionDenied("只有本营业部交易管理岗或营业部经理可以终止合同。")
    form = TerminateForm(request.POST or None, initial={"on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.terminate_contract(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已登记提前终止。")
            return redirect(contract)
    return render(
        request,
        "archives/simple_form.html",
        {
            "person": contract.person,
            "form": form,
            "title": f"提前终止：{contract}",
            "back": contract.get_absolute_url(),
            "danger": True,
        },
    )


def contract_keeping(request, pk: int):
    contract = selectors.contract_detail(request.user, pk)
    if not permissions.can_manage_contracts(request.user, contract.person):
        raise PermissionDenied("只有本营业部交易管理岗或营业部经理可以修改合同信息。")
    form = KeepingForm(
        request.POST or None,
        initial={"number": contract.number, "original_location": contract.original_location},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contract_keeping(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(contract)
    return render(
        request,
        "archives/simple_form.html",
        {
            "person": contract.person,
            "form": form,
            "title": f"合同编号与原件存放位置：{contract}",
            "back": contract.get_absolute_url(),
        },
    )


EXPIRY_TABS = {
    "expiring": ("30 天内到期的合同", selectors.expiring_contracts),
    "ended": ("已到期未续签", selectors.ended_contracts),
    "sac_expiring": ("执业登记即将到期", selectors.sac_expiring),
    "sac_expired": ("执业登记已过期", selectors.sac_expired),
}


def _expiry_rows(request):
    tab = request.GET.get("tab", "expiring")
    if tab not in EXPIRY_TABS:
        tab = "expiring"
    return tab, EXPIRY_TABS[tab][1](request.user, today())


def expiry(request):
    """到期提醒: contracts ending within 30 days, ended without renewal, and
    SAC practice registrations near or past their expiry (R-6.2, R-8.4)."""
    if not permissions.oversees_files(request.user):
        raise PermissionDenied("您没有查看到期提醒的权限。")
    tab, rows = _expiry_rows(request)
    counts = selectors.expiry_counts(request.user, today())
    page = paginate(request, rows)
    if tab in ("expiring", "ended"):
        for contract in page:
            contract.can_renew = permissions.can_manage_contracts(request.user, contract.person)
    return render(
        request,
        "archives/expiry.html",
        {
            "tab": tab,
            "tabs": [(key, label, counts[key]) for key, (label, _fn) in EXPIRY_TABS.items()],
            "page_obj": page,
            "today": today(),
            "window": EXPIRY_WINDOW_DAYS,
            "sac_window": SAC_WINDOW_DAYS,
            "can_export": permissions.can_export(request.user),
        },
    )


def expiry_export_xlsx(request):
    if not (permissions.can_export(request.user) and permissions.oversees_files(request.user)):
        raise PermissionDenied("您没有导出到期提醒的权限。")
    tab, rows = _expiry_rows(request)
    return xlsx_response(
        user=request.user,
        what=EXPIRY_TABS[tab][0],
        columns=expiry_columns(tab, today()),
        rows=rows.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )
