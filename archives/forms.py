"""Forms of the archives chapter; services do the checking that matters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from archives.models import DocumentKind, FileDocument, RewardPenalty
from clients.models import Client


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month picker), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-09"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            year, month = (int(p) for p in value.strip().split("-")[:2])
            return dt.date(year, month, 1)
        except (ValueError, TypeError):
            raise forms.ValidationError("请按“年-月”填写，如 2026-09。") from None


ACCEPT = "application/pdf,image/png,image/jpeg"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=DocumentKind.choices)
    upload = forms.FileField(
        label="文件（PDF 或 JPG/PNG 图片）",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class VerifyForm(forms.Form):
    method = forms.ChoiceField(label="核验方式", choices=FileDocument.Method.choices)
    result = forms.ChoiceField(
        label="核验结果", choices=FileDocument.Result.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(label="核验日期", widget=DateInput())
    note = forms.CharField(
        label="核验说明", max_length=200, required=False, help_text="核验不符时必填"
    )


class PaperLocationForm(forms.Form):
    paper_location = forms.CharField(label="纸质档案存放位置", max_length=200)
    note = forms.CharField(label="备注", max_length=200, required=False)


class RewardForm(forms.Form):
    date = forms.DateField(label="日期", widget=DateInput())
    kind = forms.ChoiceField(label="类别", choices=RewardPenalty.Kind.choices)
    category = forms.ChoiceField(label="形式", choices=RewardPenalty.Category.choices)
    reason = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 3}))
    decided_by = forms.CharField(
        label="决定人/决定机构", max_length=100, help_text="如：营业部经理办公会"
    )
    amount = forms.DecimalField(
        label="金额（元）", max_digits=14, decimal_places=2, required=False, min_value=0.01
    )


class RewardCreateForm(RewardForm):
    upload = forms.FileField(
        label="附件（决定文件，可选）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class RewardEditForm(RewardForm):
    change_reason = forms.CharField(label="更正原因", max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class ActivateForm(forms.Form):
    on = forms.DateField(
        label="转为在岗日期", widget=DateInput(attrs={"class": "form-control form-control-sm"})
    )


class ContractForm(forms.Form):
    starts_on = forms.DateField(label="起始日期", widget=DateInput())
    ends_on = forms.DateField(
        label="终止日期", widget=DateInput(), required=False, help_text="留空为一年期"
    )
    signed_on = forms.DateField(label="签订日期", widget=DateInput())
    number = forms.CharField(label="合同编号", max_length=40, required=False)
    original_location = forms.CharField(label="原件存放位置", max_length=200)
    upload = forms.FileField(
        label="合同扫描件（PDF 或图片）", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )


class RenewForm(ContractForm):
    starts_on = forms.DateField(
        label="起始日期", widget=DateInput(), required=False, help_text="留空为原合同期满次日"
    )


class TerminateForm(forms.Form):
    on = forms.DateField(label="终止日期", widget=DateInput())
    reason = forms.CharField(label="终止原因", max_length=200)


class KeepingForm(forms.Form):
    number = forms.CharField(label="合同编号", max_length=40, required=False)
    original_location = forms.CharField(label="原件存放位置", max_length=200)


class SlipForm(forms.Form):
    """The slip from a phone or a desk: the manager, the client (an existing
    客户号, or a new account's code and name), the opening and confirmation days."""

    manager = forms.ModelChoiceField(label="客户经理", queryset=None)
    existing = forms.CharField(
        label="已有客户的客户号",
        max_length=30,
        required=False,
        help_text="新开户客户请填写下方两项",
    )
    crm_code = forms.CharField(label="新开户客户号", max_length=30, required=False)
    name = forms.CharField(label="新开户客户名称", max_length=100, required=False)
    kind = forms.ChoiceField(label="客户类型", choices=Client.Kind.choices, required=False)
    opened_on = forms.DateField(label="开户日期", widget=DateInput(), required=False)
    issued_on = forms.DateField(label="确认日期", widget=DateInput())
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, managers, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["manager"].label_from_instance = lambda u: (
            f"{u.name}（{u.employee_no}）{' · ' + u.team.name if u.team else ''}"
        )
        self.clients = clients
        self.fields["issued_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        code = (data.get("existing") or "").strip()
        new_code = (data.get("crm_code") or "").strip()
        if code and new_code:
            raise forms.ValidationError("已有客户与新开户客户只能填写一项。")
        if not code and not new_code:
            raise forms.ValidationError("请填写已有客户的客户号，或新开户客户的客户号和名称。")
        data["client"] = None
        if code:
            client = self.clients.filter(crm_code=code).first()
            if client is None:
                self.add_error("existing", f"本营业部没有客户号为 {code} 的客户。")
            else:
                data["client"] = client
                if data.get("opened_on") is None:
                    data["opened_on"] = client.opened_on
        elif not (data.get("name") or "").strip():
            self.add_error("name", "请填写新开户客户的名称。")
        if data.get("opened_on") is None and not self.errors:
            self.add_error("opened_on", "请填写开户日期。")
        return data


class CloseMonthForm(forms.Form):
    paper_location = forms.CharField(
        label="纸质原件存放位置", max_length=200, help_text="确认单、签字的薪酬月报表等原件"
    )
    note = forms.CharField(
        label="归档说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ArchiveLocationForm(forms.Form):
    paper_location = forms.CharField(
        label="纸质原件存放位置",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    reason = forms.CharField(
        label="变更原因",
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
