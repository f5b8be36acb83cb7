"""盘点 and 网点保管人 pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assets import selectors, services
from assets.filters import StockTakeFilter
from assets.forms import CustodianForm, StockTakeOpenForm, StockTakeResolveForm
from assets.permissions import can_run_stocktake, keeps_any
from assets.views.items import branch_outlets, kept_teams
from portal.forms import apply_errors
from portal.pdf import pdf_response
from portal.views import paginate
from staff.models import User


def _flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def stocktake_list(request):
    takes = StockTakeFilter(request.GET or None, queryset=selectors.stocktakes_for(request.user))
    return render(
        request,
        "assets/stocktake_list.html",
        {
            "filter": takes,
            "page_obj": paginate(request, takes.qs),
            "can_open": keeps_any(request.user),
        },
    )


def stocktake_open(request):
    teams = kept_teams(request.user)
    if not teams.exists():
        raise PermissionDenied("只有实物管理员或团队负责人可以发起盘点。")
    form = StockTakeOpenForm(
        request.POST or None, teams=teams, outlets=branch_outlets(teams.values("branch_id"))
    )
    if request.method == "POST" and form.is_valid():
        try:
            take = services.open_stocktake(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已发起 {take.number}，盘点结束前该网点暂停出入库。")
            return redirect(take)
    return render(request, "assets/stocktake_open.html", {"form": form})


def stocktake_detail(request, pk: int):
    take = selectors.stocktake_detail(request.user, pk)
    lines = list(selectors.stocktake_lines(take))
    can_run = can_run_stocktake(request.user, take)
    people = User.objects.filter(team=take.team).exclude(status=User.Status.LEFT)
    return render(
        request,
        "assets/stocktake_detail.html",
        {
            "take": take,
            "lines": lines,
            "can_run": can_run,
            "resolve_form": StockTakeResolveForm(people=people),
            "counted": sum(1 for line in lines if line.counted is not None),
            "differences": sum(1 for line in lines if line.difference),
        },
    )


def stocktake_pdf(request, pk: int):
    """The count sheet: blank to count on paper, or filled in with the results."""
    take = selectors.stocktake_detail(request.user, pk)
    lines = list(selectors.stocktake_lines(take))
    return pdf_response(
        request,
        template="assets/pdf/stocktake.html",
        context={"take": take, "lines": lines, "pdf_title": "实物盘点表"},
        what="实物盘点表",
        filename=f"实物盘点表_{take.number}.pdf",
        rows=len(lines),
        filters={"stocktake": take.pk},
    )


@require_POST
def stocktake_count(request, pk: int):
    take = selectors.stocktake_detail(request.user, pk)
    counts = {}
    for key, value in request.POST.items():
        if key.startswith("line-") and value.strip() != "":
            try:
                counts[int(key[5:])] = int(value)
            except ValueError:
                messages.error(request, "实盘数量须为整数。")
                return redirect(take)
    try:
        changed = services.record_counts(actor=request.user, stocktake=take, counts=counts)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已保存 {changed} 项实盘数量。")
    return redirect(take)


@require_POST
def stocktake_resolve(request, pk: int, line: int):
    take = selectors.stocktake_detail(request.user, pk)
    row = take.lines.filter(pk=line).first()
    if row is None:
        raise Http404
    form = StockTakeResolveForm(
        request.POST, people=User.objects.filter(team=take.team).exclude(status=User.Status.LEFT)
    )
    if not form.is_valid():
        messages.error(request, "请选择处理方式。")
        return redirect(take)
    try:
        services.resolve_line(actor=request.user, line=row, **form.cleaned_data)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"{row.item.asset_no} 的差异已处理。")
    return redirect(take)


@require_POST
def stocktake_close(request, pk: int):
    take = selectors.stocktake_detail(request.user, pk)
    try:
        services.close_stocktake(actor=request.user, stocktake=take)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"{take.number} 已完成，网点恢复出入库。")
    return redirect(take)


def custodian_list(request):
    teams = kept_teams(request.user)
    if not teams.exists():
        raise PermissionDenied("只有实物管理员或团队负责人可以指定网点保管人。")
    people = User.objects.filter(team__in=teams).exclude(status=User.Status.LEFT)
    form = CustodianForm(
        request.POST or None,
        teams=teams,
        outlets=branch_outlets(teams.values("branch_id")),
        people=people.order_by("employee_no"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = services.set_outlet_custodian(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{row.outlet.name} 的保管人改为 {row.person.name}。")
            return redirect("assets:custodian_list")
    return render(
        request,
        "assets/custodian_list.html",
        {"form": form, "custodians": selectors.custodians_of(teams.values("pk"))},
    )
