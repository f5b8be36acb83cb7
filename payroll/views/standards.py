from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from payroll import services
from payroll.forms import StandardForm, StandardLineForm, brackets_text
from payroll.models import PayStandard
from payroll.permissions import branches_financed, is_finance
from portal.forms import apply_errors
from portal.views import paginate


def standard_list(request):
    standards = (
        PayStandard.objects.visible_to(request.user)
        .select_related("branch", "prepared_by")
        .order_by("branch__code", "-effective_month", "-version")
    )
    return render(
        request,
        "payroll/standard_list.html",
        {
            "page_obj": paginate(request, standards),
            "can_create": branches_financed(request.user).exists(),
        },
    )


def standard_new(request):
    form = StandardForm(request.POST or None, branches=branches_financed(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.create_standard(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已建立草稿（沿用上一版明细），请逐级调整后报批。")
            return redirect(standard)
    return render(request, "payroll/standard_new.html", {"form": form})


def standard_detail(request, pk: int):
    standard = get_object_or_404(
        PayStandard.objects.visible_to(request.user).select_related("branch"), pk=pk
    )
    editable = (
        is_finance(request.user, standard.branch)
        and not approval_selectors.is_locked(standard)
        and standard.status
        in (PayStandard.Status.DRAFT, PayStandard.Status.REJECTED, PayStandard.Status.WITHDRAWN)
    )
    form = StandardLineForm(request.POST or None)
    if request.method == "POST" and editable and form.is_valid():
        data = dict(form.cleaned_data)
        data["commission_brackets"] = data.pop("brackets")
        try:
            services.set_standard_line(actor=request.user, standard=standard, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(standard)
    lines = standard.lines.select_related("level")
    for line in lines:
        line.brackets_text = brackets_text(line.commission_brackets)
    return render(
        request,
        "payroll/standard_detail.html",
        {
            "standard": standard,
            "lines": lines,
            "form": form,
            "editable": editable,
            "approval": approval_selectors.request_for(standard),
        },
    )


@require_POST
def standard_submit(request, pk: int):
    standard = get_object_or_404(PayStandard.objects.visible_to(request.user), pk=pk)
    try:
        services.submit_standard(actor=request.user, standard=standard)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已报批：营业部经理审核后报渠道管理部批准。")
    return redirect(standard)
