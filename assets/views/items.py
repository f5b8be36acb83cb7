"""The register (实物管理明细表), an item's page, its movements, labels."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assets import labels, selectors, services
from assets.exports import ledger_columns, register_columns
from assets.filters import ItemFilter, MovementFilter
from assets.forms import ItemEditForm, ItemRegisterForm, MovementForm, StockReceiveForm
from assets.models import Movement
from assets.permissions import (
    can_count_line,
    can_export_register,
    can_print_labels,
    can_record_movement,
    can_report_incident,
    keeps,
    keeps_any,
    kept_team_ids,
)
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.pdf import pdf_response
from portal.views import paginate
from staff.access import scope_for
from staff.models import Outlet, Team

LABELS_MAX = 300


def kept_teams(user):
    if scope_for(user).superuser:
        return Team.objects.exclude(status=Team.Status.DISSOLVED).select_related("branch")
    return Team.objects.filter(pk__in=kept_team_ids(user)).select_related("branch")


def branch_outlets(branch_ids):
    return Outlet.objects.filter(branch_id__in=branch_ids, is_active=True).order_by("code")


def _filtered(request) -> ItemFilter:
    return ItemFilter(
        request.GET or None, queryset=selectors.items_for(request.user), user=request.user
    )


def item_list(request):
    items = _filtered(request)
    return render(
        request,
        "assets/item_list.html",
        {
            "filter": items,
            "page_obj": paginate(request, items.qs),
            "can_register": keeps_any(request.user),
            "can_export": can_export_register(request.user),
            "can_print": can_print_labels(request.user),
        },
    )


def item_export_xlsx(request):
    if not can_export_register(request.user):
        raise PermissionDenied("您没有导出实物管理明细表的权限。")
    items = _filtered(request)
    return xlsx_response(
        user=request.user,
        what="实物管理明细表",
        columns=register_columns(),
        rows=items.qs.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def item_labels_pdf(request):
    """A sheet of labels, each with the item's number and a QR code that opens its page."""
    if not can_print_labels(request.user):
        raise PermissionDenied("只有实物管理员或团队负责人可以打印标签。")
    items = list(_filtered(request).qs[: LABELS_MAX + 1])
    if len(items) > LABELS_MAX:
        messages.error(request, f"一次最多打印 {LABELS_MAX} 张标签，请缩小筛选范围。")
        return redirect(f"{reverse('assets:item_list')}?{request.GET.urlencode()}")
    if not items:
        messages.error(request, "没有符合条件的实物。")
        return redirect(f"{reverse('assets:item_list')}?{request.GET.urlencode()}")
    rows = [
        {"item": item, "qr": labels.qr_data_uri(labels.item_url(item.asset_no))} for item in items
    ]
    return pdf_response(
        request,
        template="assets/pdf/labels.html",
        context={"labels": rows, "pdf_title": "实物标签"},
        what="实物标签",
        filename="实物标签.pdf",
        rows=len(rows),
        filters=clean_filters(request.GET),
        watermark=False,
    )


def item_create(request):
    teams = kept_teams(request.user)
    if not teams.exists():
        raise PermissionDenied("只有实物管理员或团队负责人可以登记入库。")
    outlets = branch_outlets(teams.values("branch_id"))
    form = ItemRegisterForm(request.POST or None, teams=teams, outlets=outlets)
    if request.method == "POST" and form.is_valid():
        try:
            items = services.register_items(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if len(items) == 1:
                messages.success(request, f"已登记入库：{items[0]}。")
                return redirect(items[0])
            messages.success(
                request,
                f"已登记入库 {len(items)} 件：{items[0].asset_no} 至 {items[-1].asset_no}。",
            )
            return redirect(f"{reverse('assets:item_list')}?q={items[0].name}")
    return render(request, "assets/item_form.html", {"form": form})


def _move_form(request, item, data=None):
    holdings = list(selectors.holdings_of_item(item))
    return MovementForm(
        data,
        item=item,
        holdings=holdings,
        people=selectors.team_members(item.team, include_leaving=False),
        outlets=branch_outlets([item.branch_id]),
    )


def item_detail(request, pk: int):
    item = selectors.item_detail(request.user, pk)
    can_record = can_record_movement(request.user, item)
    movements = selectors.item_movements(item)
    context = {
        "item": item,
        "holdings": selectors.holdings_of_item(item),
        "movements": movements[:100],
        "movement_count": movements.count(),
        "incidents": item.incidents.select_related("responsible").order_by("-created_at"),
        "can_record": can_record,
        "can_report": can_report_incident(request.user, item),
        "change_log": change_log(item),
        "handover_lines": _handover_lines(request.user, item),
        "stocktake_lines": [
            line
            for line in selectors.open_stocktake_lines(item)
            if keeps(request.user, line.stocktake.team_id)
        ],
    }
    if can_record and item.category.is_stock:
        context["receive_form"] = StockReceiveForm(
            initial={"outlet": item.outlet_id}, outlets=branch_outlets([item.branch_id])
        )
    return render(request, "assets/item_detail.html", context)


def _handover_lines(user, item):
    """Open handover lines of the item, with what this user may do there."""
    lines = list(selectors.open_handover_lines_of_item(item))
    for line in lines:
        line.can_count = line.state == "pending" and can_count_line(user, line)
        line.default_disposition = "receiver" if line.handover.receiver_id else "store"
    return lines


def item_qr(request, asset_no: str):
    """Where a label's QR code leads."""
    return redirect(selectors.item_by_number(request.user, asset_no))


def item_edit(request, pk: int):
    item = selectors.item_detail(request.user, pk)
    if not can_record_movement(request.user, item):
        raise PermissionDenied("只有实物管理员或团队负责人可以修改。")
    form = ItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(item)
    return render(request, "assets/item_edit.html", {"form": form, "item": item})


def item_move(request, pk: int):
    item = selectors.item_detail(request.user, pk)
    if not can_record_movement(request.user, item):
        raise PermissionDenied("只有实物管理员或团队负责人可以登记出入库。")
    form = _move_form(request, item, request.POST or None)
    store = next((pk for pk, h in form.holdings.items() if h.holder_id is None), None)
    form.initial.setdefault("source", store)
    form.initial.setdefault("kind", Movement.Kind.ISSUE if store else Movement.Kind.RETURN)
    if request.method == "GET" and request.GET.get("kind"):
        form.initial["kind"] = request.GET["kind"]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holding = form.holdings[data["source"]]
        source = services.Place(holding.outlet, holding.holder)
        target = _target(data, source)
        try:
            services.record_movement(
                actor=request.user,
                item=item,
                kind=data["kind"],
                quantity=data["quantity"] if item.category.is_stock else 1,
                source=source,
                target=target,
                on=data["on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已登记{Movement.Kind(data['kind']).label}。")
            return redirect(item)
    return render(request, "assets/movement_form.html", {"form": form, "item": item})


def _target(data, source):
    kind, person, outlet = data["kind"], data["to_holder"], data["to_outlet"]
    if kind in (Movement.Kind.CONSUME, Movement.Kind.SCRAP):
        return None
    if kind == Movement.Kind.RETURN or person is None:
        # Without a person the target is the store; the service refuses an
        # issue (领用) that names nobody.
        return services.Place(outlet or source.outlet, None)
    default_outlet = person.outlet if person is not None and person.outlet_id else source.outlet
    return services.Place(outlet or default_outlet, person)


@require_POST
def item_receive(request, pk: int):
    item = selectors.item_detail(request.user, pk)
    form = StockReceiveForm(request.POST, outlets=branch_outlets([item.branch_id]))
    if not form.is_valid():
        messages.error(request, "请填写入库数量和网点。")
        return redirect(item)
    try:
        services.receive_stock(actor=request.user, item=item, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已追加入库 {form.cleaned_data['quantity']}。")
    return redirect(item)


@require_POST
def item_confirm_present(request, pk: int, line: int):
    """Confirms, from the item's page, that it is where the stock-take expects it."""
    item = selectors.item_detail(request.user, pk)
    row = selectors.open_stocktake_lines(item).filter(pk=line).first()
    if row is None:
        raise Http404
    try:
        services.confirm_present(actor=request.user, line=row)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"已确认在位（{row.stocktake.number}）。")
    return redirect(item)


# -- the ledger ------------------------------------------------------------------------


def _filtered_ledger(request) -> MovementFilter:
    return MovementFilter(
        request.GET or None,
        queryset=selectors.movements_for(request.user).order_by("-occurred_on", "-id"),
        user=request.user,
    )


def ledger(request):
    movements = _filtered_ledger(request)
    return render(
        request,
        "assets/ledger.html",
        {
            "filter": movements,
            "page_obj": paginate(request, movements.qs),
            "can_export": can_export_register(request.user),
        },
    )


def ledger_export_xlsx(request):
    if not can_export_register(request.user):
        raise PermissionDenied("您没有导出出入库流水的权限。")
    movements = _filtered_ledger(request)
    return xlsx_response(
        user=request.user,
        what="实物出入库流水",
        columns=ledger_columns(),
        rows=movements.qs.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )
