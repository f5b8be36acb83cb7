from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.uploads import attachments_of
from portal.views import paginate
from staff.permissions import holds_any_role
from teams import selectors, services
from teams.exports import filing_columns
from teams.filters import FilingFilter
from teams.forms import FilingForm, SubmitForm, UploadForm
from teams.models import FilingKind
from teams.permissions import can_edit_filing, can_submit_filing, teams_led
from teams.views.common import messages_of


def _filtered(request):
    return FilingFilter(
        request.GET or None, queryset=selectors.filings_for(request.user), user=request.user
    )


def filing_list(request):
    filings = _filtered(request)
    return render(
        request,
        "teams/filing_list.html",
        {
            "filter": filings,
            "page_obj": paginate(
                request, filings.ordered("team__code", "kind", "-year", "-version")
            ),
            "kinds": FilingKind.choices,
            "can_create": teams_led(request.user).exists(),
            "can_export": holds_any_role(request.user),
        },
    )


def filing_export(request):
    if not holds_any_role(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return xlsx_response(
        user=request.user,
        what="团队报备文件",
        columns=filing_columns(),
        rows=_filtered(request).qs.iterator(),
        filters=clean_filters(request.GET),
    )


def filing_create(request):
    kind = request.GET.get("kind") or request.POST.get("kind") or FilingKind.ANNUAL_PLAN
    if kind not in FilingKind.values:
        kind = FilingKind.ANNUAL_PLAN
    teams = teams_led(request.user)
    if not teams.exists():
        raise PermissionDenied("只有团队负责人可以起草报备文件。")
    form = FilingForm(request.POST or None, kind=kind, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            filing = services.create_filing(actor=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "草稿已保存。可上传附件后报批。")
            return redirect(filing)
    return render(
        request,
        "teams/filing_form.html",
        {"form": form, "kind": kind, "kind_label": FilingKind(kind).label},
    )


def filing_detail(request, pk: int):
    filing = selectors.filing(request.user, pk)
    locked = approval_selectors.is_locked(filing)
    return render(
        request,
        "teams/filing_detail.html",
        {
            "filing": filing,
            "approval": approval_selectors.request_for(filing),
            "attachments": attachments_of(filing),
            "can_edit": can_edit_filing(request.user, filing, locked),
            "can_submit": can_submit_filing(request.user, filing, locked),
            "upload_form": UploadForm(),
            "submit_form": SubmitForm(),
        },
    )


def filing_edit(request, pk: int):
    filing = selectors.filing(request.user, pk)
    if not can_edit_filing(request.user, filing, approval_selectors.is_locked(filing)):
        raise PermissionDenied("该文件当前不能修改。")
    form = FilingForm(request.POST or None, instance=filing, kind=filing.kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_filing(actor=request.user, filing=filing, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(filing)
    return render(
        request,
        "teams/filing_form.html",
        {
            "form": form,
            "filing": filing,
            "kind": filing.kind,
            "kind_label": filing.get_kind_display(),
        },
    )


@require_POST
def filing_attach(request, pk: int):
    filing = selectors.filing(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
        return redirect(filing)
    try:
        services.attach_to_filing(
            actor=request.user, filing=filing, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, "附件已上传。")
    return redirect(filing)


@require_POST
def filing_submit(request, pk: int):
    filing = selectors.filing(request.user, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        req = services.submit_filing(
            actor=request.user, filing=filing, opinion=form.cleaned_data.get("opinion", "")
        )
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
        return redirect(filing)
    messages.success(request, f"已报批，当前步骤：{req.current_step.name}。")
    return redirect(filing)
