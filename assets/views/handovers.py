"""实物交接: the list, a handover's page where the keeper counts and the
receiver confirms line by line, and the printable sheet."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assets import selectors, services
from assets.filters import HandoverFilter
from assets.forms import (
    HandoverCountAllForm,
    HandoverCountForm,
    HandoverReceiverForm,
    HandoverStartForm,
)
from assets.models import HandoverLine
from assets.permissions import (
    can_count_line,
    can_manage_handover,
    can_receive_line,
    keeps_any,
)
from portal.history import change_log
from portal.pdf import pdf_response
from portal.views import paginate
from staff.selectors import person_detail


def _flash(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


def handover_list(request):
    handovers = HandoverFilter(request.GET or None, queryset=selectors.handovers_for(request.user))
    return render(
        request,
        "assets/handover_list.html",
        {"filter": handovers, "page_obj": paginate(request, handovers.qs)},
    )


def handover_start(request, person: int):
    """A keeper opens a handover by hand for someone holding his team's items."""
    if not keeps_any(request.user):
        raise PermissionDenied("只有实物管理员或团队负责人可以发起交接。")
    who = person_detail(request.user, person)
    form = HandoverStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.start_handover(
                actor=request.user, person=who, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _flash(request, exc)
        else:
            messages.success(request, f"已发起实物交接 {opened[0].number}。")
            return redirect(opened[0])
    return render(
        request,
        "assets/handover_start.html",
        {"form": form, "person": who, "holdings": selectors.holdings_of(who, viewer=request.user)},
    )


def handover_detail(request, pk: int):
    handover = selectors.handover_detail(request.user, pk)
    lines = list(selectors.handover_lines(handover))
    for line in lines:
        line.handover = handover
        line.can_count = can_count_line(request.user, line)
        line.can_receive = can_receive_line(request.user, line)
    # The person handing over never counts his own lines (four eyes).
    manage = can_manage_handover(request.user, handover) and request.user.pk != handover.person_id
    context = {
        "handover": handover,
        "lines": lines,
        "can_manage": manage,
        "awaiting_me": [line for line in lines if line.can_receive],
        "count_form": HandoverCountForm(),
        "dispositions": _dispositions(handover),
        "change_log": change_log(handover),
    }
    if manage:
        context["receiver_form"] = HandoverReceiverForm(
            initial={"receiver": handover.receiver_id},
            people=selectors.team_members(handover.team, include_leaving=False).exclude(
                pk=handover.person_id
            ),
        )
        context["count_all_form"] = HandoverCountAllForm(
            initial={"disposition": _default_disposition(handover)}
        )
    return render(request, "assets/handover_detail.html", context)


def _default_disposition(handover) -> str:
    if handover.receiver_id:
        return HandoverLine.Disposition.TO_RECEIVER
    return HandoverLine.Disposition.TO_STORE


def _dispositions(handover):
    choices = list(HandoverLine.Disposition.choices)
    if not (handover.reason == "move" and handover.to_outlet_id):
        choices = [c for c in choices if c[0] != HandoverLine.Disposition.KEEP]
    if not handover.receiver_id:
        choices = [c for c in choices if c[0] != HandoverLine.Disposition.TO_RECEIVER]
    return choices


@require_POST
def handover_receiver(request, pk: int):
    handover = selectors.handover_detail(request.user, pk)
    form = HandoverReceiverForm(
        request.POST,
        people=selectors.team_members(handover.team, include_leaving=False),
    )
    if not form.is_valid():
        messages.error(request, "请选择接收人。")
        return redirect(handover)
    try:
        services.set_receiver(
            actor=request.user, handover=handover, receiver=form.cleaned_data["receiver"]
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, "接收人已更新。")
    return redirect(handover)


def _line(handover, line_id: int) -> HandoverLine:
    line = handover.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    return line


@require_POST
def handover_count(request, pk: int, line: int):
    handover = selectors.handover_detail(request.user, pk)
    row = _line(handover, line)
    form = HandoverCountForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写去向和清点数量。")
        return redirect(handover)
    try:
        services.count_line(actor=request.user, line=row, **form.cleaned_data)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, "已清点。")
    return redirect(handover)


@require_POST
def handover_receive(request, pk: int, line: int):
    handover = selectors.handover_detail(request.user, pk)
    try:
        services.receive_line(actor=request.user, line=_line(handover, line))
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, "已确认接收。")
    return redirect(handover)


@require_POST
def handover_count_all(request, pk: int):
    handover = selectors.handover_detail(request.user, pk)
    form = HandoverCountAllForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择去向。")
        return redirect(handover)
    try:
        n = services.count_all(
            actor=request.user, handover=handover, disposition=form.cleaned_data["disposition"]
        )
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已清点 {n} 项（全部在位）。")
    return redirect(handover)


@require_POST
def handover_receive_all(request, pk: int):
    handover = selectors.handover_detail(request.user, pk)
    try:
        n = services.receive_all(actor=request.user, handover=handover)
    except ValidationError as exc:
        _flash(request, exc)
    else:
        messages.success(request, f"已确认接收 {n} 项。")
    return redirect(handover)


def handover_pdf(request, pk: int):
    """The printable handover sheet with signature blocks."""
    handover = selectors.handover_detail(request.user, pk)
    lines = list(selectors.handover_lines(handover))
    return pdf_response(
        request,
        template="assets/pdf/handover.html",
        context={"handover": handover, "lines": lines, "pdf_title": "实物交接单"},
        what="实物交接单",
        filename=f"实物交接单_{handover.number}.pdf",
        rows=len(lines),
        filters={"handover": handover.pk},
    )
