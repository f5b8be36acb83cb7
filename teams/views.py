from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from portal.forms import apply_errors
from portal.uploads import attachments_of
from portal.views import paginate
from teams import selectors, services
from teams.forms import RulesFilingForm, SubmitForm, UploadForm
from teams.permissions import can_edit_filing, can_submit_filing, teams_led


def rules_list(request):
    filings = selectors.rules_filings_for(request.user).order_by("team__code", "-version")
    return render(
        request,
        "teams/rules_list.html",
        {"page_obj": paginate(request, filings), "can_create": teams_led(request.user).exists()},
    )


def rules_create(request):
    teams = teams_led(request.user)
    if not teams.exists():
        raise PermissionDenied("只有团队负责人可以起草实施细则。")
    form = RulesFilingForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            filing = services.create_rules_filing(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "草稿已保存。可上传附件后报批。")
            return redirect(filing)
    return render(request, "teams/rules_form.html", {"form": form})


def rules_detail(request, pk: int):
    filing = selectors.rules_filing(request.user, pk)
    locked = approval_selectors.is_locked(filing)
    return render(
        request,
        "teams/rules_detail.html",
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


def rules_edit(request, pk: int):
    filing = selectors.rules_filing(request.user, pk)
    if not can_edit_filing(request.user, filing, approval_selectors.is_locked(filing)):
        raise PermissionDenied("该细则当前不能修改。")
    form = RulesFilingForm(request.POST or None, instance=filing)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_rules_filing(actor=request.user, filing=filing, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect(filing)
    return render(request, "teams/rules_form.html", {"form": form, "filing": filing})


@require_POST
def rules_attach(request, pk: int):
    filing = selectors.rules_filing(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_to_filing(
                actor=request.user, filing=filing, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, "附件已上传。")
    else:
        messages.error(request, "请选择要上传的文件。")
    return redirect(filing)


@require_POST
def rules_submit(request, pk: int):
    filing = selectors.rules_filing(request.user, pk)
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        req = services.submit_rules_filing(
            actor=request.user, filing=filing, opinion=form.cleaned_data.get("opinion", "")
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(filing)
    messages.success(request, f"已报批，当前步骤：{req.current_step.name}。")
    return redirect(filing)
