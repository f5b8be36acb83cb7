import datetime as dt
from decimal import Decimal

from django import forms

from payroll.models import OtherPayment, SpecialDeduction
from staff.models import Level, User


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})

    def clean(self, value):
        value = super().clean(value)
        try:
            year, month = (int(p) for p in value.strip().split("-")[:2])
            return dt.date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError("请按“年-月”填写，如 2026-03。") from None


class BranchMonthForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=None, label="营业部", empty_label=None)
    month = MonthField(label="月份")

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        self.fields["branch"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["month"].widget.attrs["class"] = "form-control form-control-sm"


class CrmUploadForm(BranchMonthForm):
    file = forms.FileField(label="CRM 月度导出文件（.xlsx/.xls/CSV）")


class StandardForm(forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    branch = forms.ModelChoiceField(queryset=None, label="营业部", empty_label=None)
    effective_month = MonthField(label="执行起始月份")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class StandardLineForm(forms.Form):
    level = forms.ModelChoiceField(
        queryset=Level.objects.filter(is_active=True), label="级别", empty_label=None
    )
    employment_type = forms.ChoiceField(label="用工类型", choices=User.EmploymentType.choices)
    base_pay = forms.DecimalField(
        label="基本工资（元/月）", min_value=0, decimal_places=2, initial=0
    )
    account_bonus = forms.DecimalField(
        label="有效开户奖励（元/户）", min_value=0, decimal_places=2, initial=0
    )
    valid_account_min_assets = forms.DecimalField(
        label="有效户月末资产门槛（元）", min_value=0, decimal_places=2, initial=Decimal("10000")
    )
    brackets = forms.CharField(
        label="净收入提成分档",
        initial="50000:5%\n100000:8%\n以上:10%",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一档：上限:比例，最后一行写“以上:比例”。如 50000:5%",
    )
    assets_permille = forms.DecimalField(
        label="资产奖励（‰/月）", min_value=0, decimal_places=4, initial=0
    )
    late_deduction = forms.DecimalField(
        label="迟到扣款（元/次）", min_value=0, decimal_places=2, initial=0
    )

    def clean_brackets(self):
        rows = []
        for number, line in enumerate(self.cleaned_data["brackets"].splitlines(), start=1):
            if not line.strip():
                continue
            try:
                upper, rate = (part.strip() for part in line.replace("：", ":").split(":"))
                rate_value = (
                    Decimal(rate.rstrip("%")) / 100 if rate.endswith("%") else Decimal(rate)
                )
                rows.append(
                    [
                        None if upper in ("以上", "") else str(Decimal(upper.replace(",", ""))),
                        str(rate_value),
                    ]
                )
            except Exception:
                raise forms.ValidationError(
                    f"第 {number} 行无法识别：“{line}”，应如 50000:5%。"
                ) from None
        return rows


def brackets_text(brackets) -> str:
    return "\n".join(
        f"{'以上' if upper is None else upper}:{Decimal(str(rate)) * 100:.2f}%"
        for upper, rate in brackets
    )


class SpecialDeductionForm(forms.Form):
    person = forms.CharField(label="工号")
    month = MonthField(label="月份")
    kind = forms.ChoiceField(label="项目", choices=SpecialDeduction.Kind.choices)
    amount = forms.DecimalField(label="金额（元）", min_value=0, decimal_places=2)


class OtherPaymentForm(forms.Form):
    person = forms.CharField(label="工号")
    month = MonthField(label="发放月份")
    kind = forms.ChoiceField(label="类型", choices=OtherPayment.Kind.choices)
    amount = forms.DecimalField(label="金额（元）", min_value=Decimal("0.01"), decimal_places=2)
    separate_tax = forms.BooleanField(label="全年一次性奖金单独计税", required=False, initial=True)
    description = forms.CharField(label="事由", max_length=200)


def clean_person(form, user_queryset):
    number = form.cleaned_data.get("person", "").strip()
    person = user_queryset.filter(employee_no=number).first()
    if person is None:
        form.add_error("person", f"工号“{number}”不存在或不在您的范围内。")
    return person


class AdjustmentForm(forms.Form):
    person = forms.CharField(label="工号")
    month = MonthField(label="发放月份")
    corrects = MonthField(label="更正月份（已签批）")
    kind = forms.ChoiceField(label="类型", choices=[("supplement", "补发"), ("clawback", "扣回")])
    amount = forms.DecimalField(label="金额（元）", min_value=Decimal("0.01"), decimal_places=2)
    reason = forms.CharField(label="原因", max_length=200)
