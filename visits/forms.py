"""Forms of the visits chapter. The visit form is filled on a phone in the
field (R-8.5): one column, native date pickers, photos from the camera."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from clients.models import ClientTier
from staff.models import User
from visits import selectors
from visits.models import (
    FollowUpCategory,
    FollowUpStatus,
    HandlingDept,
    InformedHow,
    QuarterlyReport,
    VisitMode,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def parse_month(value: str | None, default: dt.date) -> dt.date:
    """A ``YYYY-MM`` query value as the month's first day, or the default's."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (TypeError, ValueError):
        return default.replace(day=1)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """Several photos in one input; each is checked by content when stored."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg", "multiple": True})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ClientChoice(forms.ModelChoiceField):
    def label_from_instance(self, client):
        tier = f"【{client.tier.name}】" if client.tier_id else ""
        return f"{tier}{client.name}（{client.crm_code}）"


class ClientPickMixin:
    """Chooses a client from one's own book, or any client of one's branch by
    its 客户号 (R-7.6: the client data is shared)."""

    def _setup_client(self, user, client=None):
        self.user = user
        self.fields["client"].queryset = selectors.own_clients(user)
        self.fixed_client = client
        if client is not None:
            del self.fields["client"]
            del self.fields["crm_code"]

    def _clean_client(self, cleaned):
        if self.fixed_client is not None:
            cleaned["client"] = self.fixed_client
            return cleaned
        code = (cleaned.get("crm_code") or "").strip()
        if code:
            client = selectors.client_by_code(self.user, code)
            if client is None:
                self.add_error("crm_code", "本营业部没有这个客户号。")
            else:
                cleaned["client"] = client
        elif not cleaned.get("client"):
            self.add_error("client", "请选择客户，或输入客户号。")
        return cleaned


class FollowUpFields(forms.Form):
    """A follow-up raised from a visit or on its own (R-7.3)."""

    fu_category = forms.ChoiceField(
        label="问题类别", choices=[("", "请选择"), *FollowUpCategory.choices], required=False
    )
    fu_description = forms.CharField(
        label="问题描述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="客户提出、当场未能答复或需其他部门办理的问题",
    )
    fu_department = forms.ChoiceField(
        label="转办部门",
        choices=[("", "暂不转办（本人处理）"), *HandlingDept.choices],
        required=False,
    )
    fu_department_note = forms.CharField(label="承办部门/经办人", required=False, max_length=100)
    fu_due_on = forms.DateField(label="办结期限", required=False, widget=DATE)

    def check_followup(self, cleaned, *, required: bool) -> None:
        if not required:
            return
        for name, message in (
            ("fu_category", "请选择问题类别。"),
            ("fu_description", "请描述需要督办的问题。"),
            ("fu_due_on", "请填写办结期限。"),
        ):
            if not cleaned.get(name):
                self.add_error(name, message)


class VisitForm(ClientPickMixin, FollowUpFields):
    client = ClientChoice(
        label="客户", queryset=None, required=False, empty_label="选择我名下的客户"
    )
    crm_code = forms.CharField(
        label="或输入客户号",
        required=False,
        max_length=30,
        help_text="走访非本人名下的本营业部客户时填写",
    )
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    mode = forms.ChoiceField(
        label="走访方式", choices=VisitMode.choices, widget=forms.RadioSelect, initial="onsite"
    )
    met_with = forms.CharField(label="接待人", required=False, max_length=60)
    companions = forms.ModelMultipleChoiceField(
        label="同行人员",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_companions = forms.CharField(label="其他同行人员", required=False, max_length=100)
    content = forms.CharField(label="走访内容", widget=forms.Textarea(attrs={"rows": 4}))
    opinions = forms.CharField(
        label="客户意见和建议", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.CharField(
        label="发现的需求", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    next_step = forms.CharField(
        label="下一步安排", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photos = PhotoField(label="现场照片（可选）", help_text="PNG 或 JPEG，最多 6 张")
    fu_enabled = forms.BooleanField(label="有当场未能解决的问题，转为督办事项", required=False)
    confirm_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, client=None, editing=False, due_days=7, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_client(user, client)
        today = timezone.localdate()
        self.fields["visited_on"].initial = today
        self.fields["fu_due_on"].initial = today + dt.timedelta(days=due_days)
        self.fields["companions"].queryset = (
            User.objects.filter(team_id=user.team_id, status=User.Status.ACTIVE)
            .exclude(pk=user.pk)
            .order_by("employee_no")
            if user.team_id
            else User.objects.none()
        )
        self.editing = editing
        if editing:
            for name in [n for n in self.fields if n.startswith("fu_")] + ["photos"]:
                del self.fields[name]

    def clean(self):
        cleaned = self._clean_client(super().clean())
        if not self.editing:
            self.check_followup(cleaned, required=bool(cleaned.get("fu_enabled")))
        return cleaned


class PlanForm(ClientPickMixin, forms.Form):
    client = ClientChoice(
        label="客户", queryset=None, required=False, empty_label="选择我名下的客户"
    )
    crm_code = forms.CharField(
        label="或输入客户号", required=False, max_length=30, help_text="非本人名下的本营业部客户"
    )
    planned_on = forms.DateField(label="计划日期", widget=DATE)
    mode = forms.ChoiceField(
        label="走访方式", choices=VisitMode.choices, widget=forms.RadioSelect, initial="onsite"
    )
    purpose = forms.CharField(label="走访目的", max_length=200)
    confirm_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, client=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_client(user, client)
        self.fields["planned_on"].initial = timezone.localdate() + dt.timedelta(days=1)

    def clean(self):
        return self._clean_client(super().clean())


class CancelPlanForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200)


class FollowUpForm(FollowUpFields):
    """A further follow-up raised from a visit's page."""

    def __init__(self, *args, due_days=7, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fu_due_on"].initial = timezone.localdate() + dt.timedelta(days=due_days)

    def clean(self):
        cleaned = super().clean()
        self.check_followup(cleaned, required=True)
        return cleaned


class MoveFollowUpForm(forms.Form):
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ChoiceField(
        label="转办部门", choices=[("", "请选择"), *HandlingDept.choices], required=False
    )
    department_note = forms.CharField(label="承办部门/经办人", required=False, max_length=100)
    resolution = forms.CharField(
        label="处理结果", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resolved_on = forms.DateField(label="解决日期", required=False, widget=DATE)
    informed_on = forms.DateField(label="告知客户日期", required=False, widget=DATE)
    informed_how = forms.ChoiceField(
        label="告知方式", choices=[("", "请选择"), *InformedHow.choices], required=False
    )
    informed_note = forms.CharField(
        label="告知情况", required=False, max_length=300, help_text="客户的反馈"
    )

    # Which fields each move shows.
    FIELDS = {
        FollowUpStatus.FORWARDED: ("department", "department_note", "note"),
        FollowUpStatus.HANDLING: ("note",),
        FollowUpStatus.RESOLVED: ("resolution", "resolved_on", "note"),
        FollowUpStatus.INFORMED: ("informed_on", "informed_how", "informed_note"),
        FollowUpStatus.CLOSED: ("note",),
    }

    def visible(self, status: str):
        return [self[name] for name in self.FIELDS.get(status, ())]


class ExtendFollowUpForm(forms.Form):
    due_on = forms.DateField(label="新的办结期限", widget=DATE)
    note = forms.CharField(label="调整原因", max_length=200)


class SubmitMonthForm(forms.Form):
    month = forms.CharField(widget=forms.HiddenInput)
    opinion = forms.CharField(label="说明（可选）", required=False, max_length=500)

    def clean_month(self):
        value = self.cleaned_data["month"]
        month = parse_month(value, dt.date(1900, 1, 1))
        if month.year == 1900:
            raise forms.ValidationError("月份格式应为 YYYY-MM。")
        return month


class HandoverForm(forms.Form):
    effective_on = forms.DateField(label="生效日期", widget=DATE)
    reason = forms.CharField(label="移交原因", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate()


class NewReportForm(forms.Form):
    level = forms.ChoiceField(label="报告层级", choices=QuarterlyReport.Level.choices)
    unit = forms.ChoiceField(label="团队/营业部")
    year = forms.IntegerField(label="年度", min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(q, f"第 {q} 季度") for q in range(1, 5)]
    )

    def __init__(self, *args, teams=(), branches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in teams}
        self.branches = {str(b.pk): b for b in branches}
        self.fields["unit"].choices = [
            *[(f"t{t.pk}", f"团队：{t.name}") for t in teams],
            *[(f"b{b.pk}", f"营业部：{b.name}") for b in branches],
        ]
        today = timezone.localdate()
        last = (today.replace(day=1) - dt.timedelta(days=1)) if today.month % 3 == 1 else today
        self.fields["year"].initial = last.year
        self.fields["quarter"].initial = (last.month - 1) // 3 + 1
        self.fields["level"].widget = forms.HiddenInput()
        self.fields["level"].required = False

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit") or ""
        cleaned["team"] = self.teams.get(unit[1:]) if unit.startswith("t") else None
        cleaned["branch"] = self.branches.get(unit[1:]) if unit.startswith("b") else None
        if not cleaned["team"] and not cleaned["branch"]:
            self.add_error("unit", "请选择团队或营业部。")
        return cleaned


class ReportForm(forms.ModelForm):
    refresh_figures = forms.BooleanField(label="按最新数据重新统计", required=False)

    class Meta:
        model = QuarterlyReport
        fields = ["analysis", "rating", "rating_note", "measures"]
        widgets = {
            "analysis": forms.Textarea(attrs={"rows": 6}),
            "rating_note": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }


class TierForm(forms.ModelForm):
    class Meta:
        model = ClientTier
        fields = ["code", "name", "rank", "visit_interval_days", "is_active"]


class SettingsForm(forms.Form):
    overlap_days = forms.IntegerField(label="走访重叠提示天数", min_value=1, max_value=365)
    followup_days = forms.IntegerField(label="督办默认期限（天）", min_value=1, max_value=90)
