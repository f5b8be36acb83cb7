from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.exports import clean_filters, xlsx_response
from portal.history import change_log
from portal.pdf import pdf_response
from portal.registry import person_panels
from portal.views import paginate
from staff import selectors, services
from staff.exports import people_columns
from staff.filters import PersonFilter
from staff.permissions import can_export_people, can_view_identity

PDF_MAX_ROWS = 1000
PDF_COLUMNS = (
    "工号",
    "姓名",
    "团队",
    "小组",
    "网点",
    "岗位",
    "级别",
    "用工类型",
    "状态",
    "手机号",
    "身份证号",
)
PDF_WRAPPING = ("团队", "网点", "用工类型")


def _filtered_people(request) -> PersonFilter:
    return PersonFilter(
        request.GET or None, queryset=selectors.people_for(request.user), user=request.user
    )


def person_list(request):
    people = _filtered_people(request)
    page = paginate(request, people.qs)
    return render(
        request,
        "staff/user_list.html",
        {"filter": people, "page_obj": page, "can_export": can_export_people(request.user)},
    )


def person_detail(request, pk: int):
    person = selectors.person_detail(request.user, pk)
    return render(
        request,
        "staff/user_detail.html",
        {
            "person": person,
            "postings": selectors.postings_of(person),
            "roles": selectors.roles_of(person),
            "change_log": change_log(person),
            "sees_identity": can_view_identity(request.user, person),
            "panels": person_panels(request, person),
        },
    )


def _require_export(request) -> None:
    if not can_export_people(request.user):
        raise PermissionDenied("您没有导出人员名单的权限。")


def person_export_xlsx(request):
    _require_export(request)
    people = _filtered_people(request)
    return xlsx_response(
        user=request.user,
        what="人员名单",
        columns=people_columns(request.user),
        rows=people.qs.iterator(chunk_size=2000),
        filters=clean_filters(request.GET),
    )


def person_export_pdf(request):
    _require_export(request)
    people = _filtered_people(request)
    rows = list(people.qs[: PDF_MAX_ROWS + 1])
    if len(rows) > PDF_MAX_ROWS:
        messages.error(request, f"PDF 最多打印 {PDF_MAX_ROWS} 人，请缩小筛选范围，或导出 Excel。")
        return redirect(f"{reverse('staff:user_list')}?{request.GET.urlencode()}")
    columns = [c for c in people_columns(request.user) if c.header in PDF_COLUMNS]
    return pdf_response(
        request,
        template="staff/pdf/user_list.html",
        context={
            "headers": [(c.header, c.header in PDF_WRAPPING) for c in columns],
            "rows": [[(c.value(p) or "", c.header in PDF_WRAPPING) for c in columns] for p in rows],
        },
        what="人员名单",
        filename="人员名单.pdf",
        rows=len(rows),
        filters=clean_filters(request.GET),
        landscape=True,
    )


def org_chart(request):
    """The org chart, one branch at a time when the user sees several (HQ:
    the whole company at once is a page of thousands of names)."""
    branches = selectors.org_branches(request.user)
    current = None
    if len(branches) > 1:
        wanted = request.GET.get("branch")
        current = next((b for b in branches if b.code == wanted), None)
        if current is None:
            own = request.user.branch_id
            current = next((b for b in branches if b.pk == own), branches[0])
    tree = selectors.org_tree(request.user, [current] if current else branches)
    return render(
        request,
        "staff/org_chart.html",
        {"tree": tree, "branches": branches if current else [], "current": current},
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, saving through the service that clears a temporary password."""

    def form_valid(self, form):
        user = services.set_own_password(
            user=form.user, raw_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "密码已修改。")
        return redirect("home")
