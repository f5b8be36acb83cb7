from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from portal.exports import attachment
from portal.forms import apply_errors
from portal.imports import template_bytes
from portal.models import ImportBatch
from portal.views import paginate
from staff.models import User
from teams import selectors, services
from teams.forms import (
    GroupForm,
    GroupLeaderForm,
    LeavingForm,
    MoveForm,
    NoteForm,
    PersonForm,
    RosterUploadForm,
)
from teams.models import OneToOneNote
from teams.permissions import manages
from teams.services.roster import KIND, ROSTER_FIELDS, read_roster
from teams.views.common import team_in_scope

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMS = {
    "add": PersonForm,
    "move": MoveForm,
    "leaving": LeavingForm,
    "group": GroupForm,
    "leader": GroupLeaderForm,
}


def _form(name, request, team):
    bound = request.POST if request.method == "POST" and request.POST.get("form") == name else None
    cls = FORMS[name]
    return cls(bound, team=team) if name != "group" else cls(bound)


def people(request, pk: int):
    """人员管理: add people, move them, mark leaving, groups and group leaders."""
    team = team_in_scope(request.user, pk)
    if not manages(request.user, team):
        raise PermissionDenied("只有团队负责人或营业部经理可以管理团队人员。")
    forms = {name: _form(name, request, team) for name in FORMS}
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted in forms and forms[posted].is_valid():
        data = forms[posted].cleaned_data
        try:
            if posted == "add":
                person, password = services.add_person(actor=request.user, team=team, **data)
                messages.success(
                    request,
                    f"已添加 {person.name}（{person.employee_no}），临时密码：{password}。请当面告知本人，首次登录须修改。",
                )
            elif posted == "move":
                services.move_member(actor=request.user, **data)
                messages.success(
                    request, f"{data['person'].name} 的调整已登记，{data['effective_on']} 起生效。"
                )
            elif posted == "leaving":
                services.mark_leaving(actor=request.user, **data)
                messages.success(
                    request, f"{data['person'].name} 已标记为离职中，请办理实物交接和客户移交。"
                )
            elif posted == "group":
                services.create_group(actor=request.user, team=team, **data)
                messages.success(request, f"已设立“{data['name']}”。")
            elif posted == "leader":
                services.appoint_group_leader(actor=request.user, **data)
                messages.success(
                    request, f"已任命 {data['person'].name} 为{data['group'].name}组长。"
                )
        except ValidationError as exc:
            apply_errors(forms[posted], exc)
        else:
            return redirect("teams:people", team.pk)
    return render(
        request,
        "teams/people.html",
        {
            "team": team,
            "forms": forms,
            "page_obj": paginate(request, selectors.team_members(team)),
            "groups": selectors.org_groups(team),
            "open_form": posted,
        },
    )


def roster_template(request):
    content = template_bytes(
        ROSTER_FIELDS,
        title="花名册",
        notes=[
            "工号、身份证号、卡号请按文本填写，不要删除前导零。",
            "导入后每人获得临时密码，首次登录须修改。",
        ],
    )
    return attachment(content, filename="花名册导入模板.xlsx", content_type=XLSX)


def roster_upload(request, pk: int):
    team = team_in_scope(request.user, pk)
    if not manages(request.user, team):
        raise PermissionDenied("只有团队负责人或营业部经理可以导入花名册。")
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.upload_roster(
                actor=request.user, team=team, upload=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("teams:roster_preview", batch.pk)
    return render(request, "teams/roster_upload.html", {"team": team, "form": form})


def _shown(value, spec) -> str:
    if value is None:
        return ""
    if spec.kind == "choice":
        return next((label for label, v in spec.choices.items() if v == value), str(value))
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def roster_preview(request, batch_pk: int):
    batch = get_object_or_404(ImportBatch, pk=batch_pk, kind=KIND, uploaded_by=request.user)
    team = team_in_scope(request.user, batch.context["team"])
    if request.method == "POST":
        try:
            created = services.commit_roster(actor=request.user, batch=batch)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("teams:roster_preview", batch.pk)
        return render(request, "teams/roster_done.html", {"team": team, "created": created})
    with batch.file.open("rb") as handle:
        records, problems = read_roster(team, handle.read())
    bad_rows = {p.row for p in problems}
    rows = [
        {
            "number": r["_row"],
            "bad": r["_row"] in bad_rows,
            "cells": [_shown(r.get(f.key), f) for f in ROSTER_FIELDS],
        }
        for r in records
    ]
    return render(
        request,
        "teams/roster_preview.html",
        {"team": team, "batch": batch, "rows": rows, "problems": problems, "fields": ROSTER_FIELDS},
    )


def notes(request):
    items = OneToOneNote.objects.visible_to(request.user).select_related("author", "member", "team")
    members = (
        User.objects.visible_to(request.user)
        .filter(team__isnull=False)
        .exclude(pk=request.user.pk)
        .exclude(status=User.Status.LEFT)
        .order_by("employee_no")
    )
    form = NoteForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_note(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "谈话记录已保存。")
            return redirect("teams:notes")
    return render(
        request,
        "teams/notes.html",
        {"page_obj": paginate(request, items), "form": form, "can_write": members.exists()},
    )
