"""人员档案 pages: the list, completeness per team, a person's file and
what is done on it (documents, checks, rewards and penalties, activation)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from archives import permissions, selectors, services
from archives.exports import file_columns
from archives.filters import FileFilter
from archives.forms import (
    ActivateForm,
    PaperLocationForm,
    ReasonForm,
    RewardCreateForm,
    RewardEditForm,
    UploadForm,
    VerifyForm,
)
from archives.models import FileDocument, PersonnelFile, RewardPenalty
from archives.selectors.files import flags_missing
from archives.views.common import messages_of, today
from payroll import selectors as payroll_selectors
from portal.exports import clean_filters, xlsx_response
from portal.forms import apply_errors
from portal.history import change_log
from portal.views import paginate
from staff.models import Branch, Team, User


def _filtered(request) -> FileFilter:
    people = selectors.with_file_flags(selectors.people_for(request.user), today())
    if not request.GET.get("status"):
        people = people.exclude(status=User.Status.LEFT)
    return FileFilter(request.GET or None, queryset=people, user=request.user)


def file_list(request):
    if not permissions.oversees_files(request.user):
        return redirect("archives:file_detail", request.user.pk)
    people = _filtered(request)
    page = paginate(request, people.qs)
    for person in page:
        person.missing = flags_missing(person)
    return render(
        request,
        "archives/file_list.html",
        {
            "filter": people,
            "page_obj": page,
            "today": today(),
            "can_export": permissions.can_export(request.user),
        },
    )


def file_export_xlsx(request):
    if not (permissions.can_export(request.user) and permissions.oversees_files(request.user)):
        raise PermissionDenied("您没有导出人员档案清单的权限。")
    people = _filtered(request)
    return xlsx_response(
        user=request.user,
        what="人员档案清单",
        columns=file_columns(flags_missing),
        rows=people.qs.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def completeness(request):
    """档案完整性: per team, who lacks what (R-6.3)."""
    if not permissions.oversees_files(request.user):
        raise PermissionDenied("您没有查看档案完整性的权限。")
    people = selectors.people_for(request.user)
    teams = Team.objects.visible_to(request.user).select_related("branch")
    branches = Branch.objects.visible_to(request.user)
    team_id = request.GET.get("team") or ""
    branch_id = request.GET.get("branch") or ""
    if team_id.isdigit():
        people = people.filter(team_id=int(team_id))
    elif branch_id.isdigit():
        people = people.filter(branch_id=int(branch_id))
    elif permissions.sees_all_files(request.user) and branches.count() > 1:
        # HQ: one branch at a time (the first) unless asked for another.
        first = branches.order_by("code").first()
        branch_id = str(first.pk) if first else ""
        people = people.filter(branch_id=first.pk) if first else people
    only_gaps = request.GET.get("gaps") == "1"
    rows = selectors.team_gaps(people)
    return render(
        request,
        "archives/completeness.html",
        {
            "rows": rows,
            "teams": teams,
            "branches": branches if branches.count() > 1 else [],
            "team_id": team_id,
            "branch_id": branch_id,
            "only_gaps": only_gaps,
            "totals": {
                "people": sum(r["people"] for r in rows),
                "complete": sum(r["complete"] for r in rows),
            },
        },
    )


def file_detail(request, pk: int):
    person = selectors.file_person(request.user, pk)
    user = request.user
    documents = list(selectors.current_documents(person))
    contracts = list(selectors.contracts_of(person))
    status = selectors.file_status(person, documents=documents, contracts=contracts)
    paper = PersonnelFile.objects.filter(person=person).first()
    can_upload = permissions.can_upload_document(user, person)
    return render(
        request,
        "archives/file_detail.html",
        {
            "person": person,
            "status": status,
            "others": [d for d in documents if d.kind == "other"],
            "replaced": list(selectors.replaced_documents(person)),
            "contracts": contracts,
            "today": today(),
            "assessments": list(payroll_selectors.duty_assessments_of(person)[:24]),
            "evaluations": list(payroll_selectors.evaluations_of(person)),
            "rewards": list(selectors.rewards_of(person)),
            "paper": paper,
            "paper_log": change_log(paper) if paper else [],
            "upload_form": UploadForm() if can_upload else None,
            "can_upload": can_upload,
            "can_verify": permissions.can_verify_document(user, person),
            "can_reward": permissions.can_record_reward(user, person),
            "can_contract": permissions.can_manage_contracts(user, person),
            "can_paper": permissions.can_edit_paper_location(user, person),
            "can_activate": person.status == User.Status.ONBOARDING
            and permissions.can_activate(user, person),
            "activate_form": ActivateForm(initial={"on": today()}),
        },
    )


def document_upload(request, pk: int):
    person = selectors.file_person(request.user, pk)
    if not permissions.can_upload_document(request.user, person):
        raise PermissionDenied("只有本营业部交易管理岗或本团队负责人可以上传档案材料。")
    form = UploadForm(request.POST or None, request.FILES or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            document = services.upload_document(
                actor=request.user,
                person=person,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已上传：{document.get_kind_display()}。")
            return redirect("archives:file_detail", person.pk)
    return render(request, "archives/document_upload.html", {"person": person, "form": form})


def document_verify(request, pk: int, doc: int):
    person = selectors.file_person(request.user, pk)
    document = get_object_or_404(
        FileDocument.objects.select_related("attachment", "uploaded_by"), pk=doc, person=person
    )
    if not permissions.can_verify_document(request.user, person):
        raise PermissionDenied("证件真伪由本营业部交易管理岗核验。")
    form = VerifyForm(request.POST or None, initial={"on": today(), "result": "genuine"})
    if request.method == "POST" and form.is_valid():
        try:
            services.verify_document(actor=request.user, document=document, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已记录{document.get_kind_display()}的核验结果。")
            return redirect("archives:file_detail", person.pk)
    return render(
        request,
        "archives/document_verify.html",
        {"person": person, "document": document, "form": form, "log": change_log(document)},
    )


def paper_location(request, pk: int):
    person = selectors.file_person(request.user, pk)
    if not permissions.can_edit_paper_location(request.user, person):
        raise PermissionDenied("只有本营业部交易管理岗可以登记纸质档案的存放位置。")
    paper = PersonnelFile.objects.filter(person=person).first()
    form = PaperLocationForm(
        request.POST or None,
        initial={"paper_location": paper.paper_location, "note": paper.note} if paper else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_paper_location(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已保存纸质档案存放位置。")
            return redirect("archives:file_detail", person.pk)
    return render(
        request,
        "archives/simple_form.html",
        {
            "person": person,
            "form": form,
            "title": "纸质档案存放位置",
            "back": reverse("archives:file_detail", args=[person.pk]),
        },
    )


@require_POST
def activate(request, pk: int):
    person = selectors.file_person(request.user, pk)
    form = ActivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写转为在岗日期。")
        return redirect("archives:file_detail", person.pk)
    try:
        services.activate_person(actor=request.user, person=person, on=form.cleaned_data["on"])
    except ValidationError as exc:
        messages.error(request, messages_of(exc))
    else:
        messages.success(request, f"{person.name}已转为在岗。")
    return redirect("archives:file_detail", person.pk)


# -- rewards and penalties ---------------------------------------------------------------


def reward_new(request, pk: int):
    person = selectors.file_person(request.user, pk)
    if not permissions.can_record_reward(request.user, person):
        raise PermissionDenied("只有团队负责人、交易管理岗或营业部经理可以登记奖惩。")
    form = RewardCreateForm(request.POST or None, request.FILES or None, initial={"date": today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_reward(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已登记奖惩。")
            return redirect(reverse("archives:file_detail", args=[person.pk]) + "#rewards")
    return render(
        request,
        "archives/simple_form.html",
        {
            "person": person,
            "form": form,
            "title": "登记奖惩",
            "multipart": True,
            "back": reverse("archives:file_detail", args=[person.pk]),
        },
    )


def _reward(request, pk: int) -> RewardPenalty:
    return get_object_or_404(
        RewardPenalty.objects.visible_to(request.user).select_related("person"), pk=pk
    )


def reward_edit(request, pk: int):
    entry = _reward(request, pk)
    if not permissions.can_record_reward(request.user, entry.person) or entry.revoked_at:
        raise PermissionDenied("您不能更正该奖惩记录。")
    form = RewardEditForm(
        request.POST or None,
        initial={
            "date": entry.date,
            "kind": entry.kind,
            "category": entry.category,
            "reason": entry.reason,
            "decided_by": entry.decided_by,
            "amount": entry.amount,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_reward(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已更正奖惩记录。")
            return redirect(entry.get_absolute_url())
    return render(
        request,
        "archives/simple_form.html",
        {
            "person": entry.person,
            "form": form,
            "title": "更正奖惩记录",
            "back": entry.get_absolute_url(),
            "change_log": change_log(entry),
        },
    )


def reward_revoke(request, pk: int):
    entry = _reward(request, pk)
    if not permissions.can_record_reward(request.user, entry.person) or entry.revoked_at:
        raise PermissionDenied("您不能撤销该奖惩记录。")
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_reward(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已撤销奖惩记录。")
            return redirect(entry.get_absolute_url())
    return render(
        request,
        "archives/simple_form.html",
        {
            "person": entry.person,
            "form": form,
            "title": f"撤销奖惩记录：{entry}",
            "back": entry.get_absolute_url(),
            "danger": True,
        },
    )
