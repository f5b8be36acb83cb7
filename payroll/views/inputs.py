"""Tax inputs entered by finance: 专项附加扣除, 劳务报酬 and the annual bonus."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from payroll import services
from payroll.forms import AdjustmentForm, OtherPaymentForm, SpecialDeductionForm, clean_person
from payroll.models import Adjustment, OtherPayment, SpecialDeduction
from payroll.permissions import branches_financed
from portal.forms import apply_errors
from portal.views import paginate
from staff.models import User


def inputs(request):
    branches = branches_financed(request.user)
    if not branches.exists():
        raise PermissionDenied("只有财务人员可以录入计税信息。")
    people = User.objects.filter(branch__in=branches)
    posted = request.POST.get("form") if request.method == "POST" else None
    special = SpecialDeductionForm(request.POST if posted == "special" else None, prefix="sd")
    other = OtherPaymentForm(request.POST if posted == "other" else None, prefix="op")
    adjust = AdjustmentForm(request.POST if posted == "adjust" else None, prefix="ad")
    form = {"special": special, "other": other, "adjust": adjust}.get(posted)
    if form is not None and form.is_valid():
        person = clean_person(form, people)
        if person is not None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "person"}
            try:
                if posted == "special":
                    services.set_special_deduction(actor=request.user, person=person, **data)
                elif posted == "adjust":
                    services.add_adjustment(actor=request.user, person=person, **data)
                else:
                    services.add_other_payment(actor=request.user, person=person, **data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                label = {"special": "专项附加扣除", "adjust": "补发/扣回", "other": "其他发放"}[
                    posted
                ]
                messages.success(request, f"已录入 {person.name} 的{label}。")
                return redirect("payroll:inputs")
    deductions = (
        SpecialDeduction.objects.filter(person__branch__in=branches)
        .select_related("person")
        .order_by("-month", "person__employee_no")
    )
    payments = (
        OtherPayment.objects.filter(branch__in=branches)
        .select_related("person")
        .order_by("-month", "id")
    )
    adjustments = (
        Adjustment.objects.filter(branch__in=branches)
        .select_related("person")
        .order_by("-month", "id")
    )
    return render(
        request,
        "payroll/inputs.html",
        {
            "special": special,
            "other": other,
            "adjust": adjust,
            "deductions": paginate(request, deductions),
            "payments": payments[:100],
            "adjustments": adjustments[:100],
        },
    )
