"""Quarterly level reviews and the annual evaluation (R-5.4)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from payroll.models import LevelReview, ReviewItem
from payroll.permissions import finance_branches
from payroll.services import confirm_review, decide_item, open_review
from portal.forms import apply_errors
from portal.views import paginate
from staff.access import scope_for
from staff.models import Level, Role


class ReviewForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=None, label="营业部", empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="期间",
        coerce=int,
        choices=[
            (1, "第一季度"),
            (2, "第二季度"),
            (3, "第三季度"),
            (4, "第四季度"),
            (0, "年度综合考评"),
        ],
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


def review_list(request):
    branches = finance_branches(request.user)
    form = ReviewForm(request.POST or None, branches=branches)
    if request.method == "POST" and form.is_valid():
        try:
            review = open_review(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "已生成考核建议，请营业部经理逐人确认。")
            return redirect(review)
    reviews = (
        LevelReview.objects.visible_to(request.user)
        .select_related("branch", "created_by")
        .order_by("-year", "-quarter", "branch__code")
    )
    return render(
        request, "payroll/review_list.html", {"form": form, "page_obj": paginate(request, reviews)}
    )


def review_detail(request, pk: int):
    review = get_object_or_404(
        LevelReview.objects.visible_to(request.user).select_related("branch"), pk=pk
    )
    items = review.items.select_related(
        "person", "level", "proposed_level", "decided_level", "decided_by"
    )
    can_decide = review.status == LevelReview.Status.OPEN and (
        scope_for(request.user).superuser
        or review.branch_id in scope_for(request.user).ids(Role.BRANCH_MANAGER)
    )
    return render(
        request,
        "payroll/review_detail.html",
        {
            "review": review,
            "items": items,
            "levels": Level.objects.filter(is_active=True).order_by("rank"),
            "can_decide": can_decide,
        },
    )


@require_POST
def review_decide(request, pk: int, item_pk: int):
    review = get_object_or_404(LevelReview.objects.visible_to(request.user), pk=pk)
    item = get_object_or_404(ReviewItem, pk=item_pk, review=review)
    level = get_object_or_404(Level, pk=request.POST.get("level"))
    try:
        decide_item(
            actor=request.user, item=item, level=level, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, f"{item.person.name}：{'；'.join(exc.messages)}")
    else:
        messages.success(request, f"{item.person.name}：已确定为{level.name}。")
    return redirect(review)


@require_POST
def review_confirm(request, pk: int):
    review = get_object_or_404(LevelReview.objects.visible_to(request.user), pk=pk)
    try:
        changed = confirm_review(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, f"考核结果已生效：{changed} 人级别调整，自 {review.effective_on} 起执行。"
        )
    return redirect(review)
