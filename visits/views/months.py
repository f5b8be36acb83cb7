"""月度走访日志: submitting the month's logs and the verified record (R-7.1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approvals import selectors as approval_selectors
from portal.history import change_log
from portal.pdf import pdf_response
from portal.views import paginate
from visits import permissions, rules, selectors
from visits.forms import SubmitMonthForm
from visits.services import submissions as services


def month_list(request):
    user = request.user
    today = timezone.localdate()
    mine = []
    if permissions.files_visits(user):
        for row in selectors.my_months(user):
            row["can_submit"] = rules.may_submit_month(row["month"], today) and (
                row["submission"] is None or not row["submission"].locked
            )
            row["end"] = rules.month_end(row["month"])
            mine.append(row)
    others = selectors.submissions_for(user).exclude(visitor=user)
    status = request.GET.get("status", "pending" if permissions.leads_visits(user) else "")
    if status:
        others = others.filter(status=status)
    return render(
        request,
        "visits/month_list.html",
        {
            "mine": mine,
            "page_obj": paginate(request, others.order_by("-month", "visitor__employee_no")),
            "status": status,
            "is_leader": permissions.leads_visits(user),
            "statuses": selectors.submissions_for(user).model.Status.choices,
            "submit_from": rules.SUBMIT_FROM_DAY,
        },
    )


@require_POST
def month_submit(request):
    form = SubmitMonthForm(request.POST)
    if not form.is_valid():
        messages.error(request, "月份有误。")
        return redirect("visits:month_list")
    try:
        submission = services.submit_month(
            actor=request.user,
            month=form.cleaned_data["month"],
            opinion=form.cleaned_data["opinion"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("visits:month_list")
    messages.success(
        request,
        f"{submission.month:%Y 年 %-m 月}的 {submission.visit_count} 条走访日志已提交核验，"
        "核验期间不能修改。",
    )
    return redirect(submission)


def _month_context(request, pk):
    submission = selectors.submission_detail(request.user, pk)
    visits = list(selectors.month_visits(submission.visitor_id, submission.month))
    return submission, {
        "submission": submission,
        "visits": visits,
        "request_obj": approval_selectors.request_for(submission),
    }


def month_detail(request, pk: int):
    submission, context = _month_context(request, pk)
    context["change_log"] = change_log(submission)
    return render(request, "visits/month_detail.html", context)


def month_pdf(request, pk: int):
    submission, context = _month_context(request, pk)
    return pdf_response(
        request,
        template="visits/pdf/month.html",
        context=context,
        what="客户走访日志",
        filename=f"客户走访日志_{submission.visitor.employee_no}_{submission.month:%Y%m}.pdf",
        rows=len(context["visits"]),
        filters={"submission": submission.pk},
        landscape=True,
    )
