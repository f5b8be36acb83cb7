"""Forms of the meetings chapter. The meeting page is one HTML form made of
several Django forms: the header and content, the roll call, and (weekly and
monthly meetings) formsets of problems, competitor information and action
items plus the carried-over items' follow-up."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms.models import ModelChoiceIterator

from meetings import rules
from meetings.models import MORNING_ITEMS, AbsenceReason, ActionStatus, MeetingKind
from meetings.services import (
    ActionEntry,
    CompetitorEntry,
    Mark,
    ProblemEntry,
    ReviewEntry,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _text(rows: int = 3, placeholder: str = "") -> forms.Textarea:
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.Textarea(attrs=attrs)


class _SharedChoices(ModelChoiceIterator):
    """Options from the people queryset the view passed in, iterated as is:
    the object's result cache is filled once and serves the host select and
    every action row's owner select (one query, not one per select)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        shared = getattr(self.field, "shared_people", None)
        for obj in shared if shared is not None else self.queryset:
            yield self.choice(obj)

    def __len__(self):
        shared = getattr(self.field, "shared_people", None)
        count = len(shared) if shared is not None else self.queryset.count()
        return count + (self.field.empty_label is not None)


class PersonChoiceField(forms.ModelChoiceField):
    iterator = _SharedChoices

    def share(self, people) -> None:
        """Validates against ``people`` and renders from that very object."""
        self.queryset = people
        self.shared_people = people

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.employee_no}）"


MORNING_HINTS = {
    "market": "隔夜外盘、今日大盘走势判断、热点板块……",
    "company_news": "公司文件精神、新产品、新业务、新任务……",
    "progress_report": "昨日开户、资产引入、重点客户跟进……",
    "case_study": "一个营销案例及大家的体会……",
    "morale": "表扬、口号、今日目标……",
}


class MeetingForm(forms.Form):
    """The meeting's header and content; the fields depend on the kind."""

    start_time = forms.TimeField(label="开始时间", required=False, widget=TIME)
    place = forms.CharField(label="地点", max_length=100, required=False)
    host = PersonChoiceField(label="主持人", queryset=None, empty_label="请选择")

    def __init__(self, *args, kind: str, people, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["host"].share(people)
        if kind == MeetingKind.MORNING:
            for name, label in MORNING_ITEMS:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    widget=_text(2, MORNING_HINTS[name]),
                )
        else:
            if kind == MeetingKind.MONTHLY and not editing:
                self.fields["summary_month"] = forms.DateField(
                    label="总结月份",
                    required=False,
                    widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                    input_formats=["%Y-%m", "%Y-%m-%d"],
                    help_text=f"每月 {rules.MONTHLY_GRACE_DAYS} 日前召开的可以总结上月。",
                )
            self.fields["agenda"] = forms.CharField(
                label="会议议程", required=False, widget=_text(3)
            )
            self.fields["minutes"] = forms.CharField(label="会议纪要", widget=_text(6))
            self.fields["progress_review"] = forms.CharField(
                label="工作进度回顾",
                required=False,
                widget=_text(3, "对照右侧目标完成进度，回顾本期工作……"),
            )
            self.fields["method_changes"] = forms.CharField(
                label="工作方法调整", required=False, widget=_text(3)
            )
            self.fields["decisions"] = forms.CharField(
                label="会议决定", required=False, widget=_text(3)
            )

    def content(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            name: data.get(name, "")
            for name in (
                *(n for n, _ in MORNING_ITEMS),
                "agenda",
                "minutes",
                "progress_review",
                "method_changes",
                "decisions",
            )
        }


class RollForm(forms.Form):
    """The roll call: one line per member, present by default (R-3.2)."""

    def __init__(self, *args, members, initial_marks: dict[int, Mark] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        marks = initial_marks or {}
        for person in self.members:
            mark = marks.get(person.pk, Mark())
            self.fields[f"p{person.pk}"] = forms.BooleanField(
                label="出席", required=False, initial=mark.present
            )
            self.fields[f"r{person.pk}"] = forms.ChoiceField(
                label="缺席原因",
                required=False,
                choices=[("", "—"), *AbsenceReason.choices],
                initial=mark.reason,
            )
            self.fields[f"n{person.pk}"] = forms.CharField(
                label="说明", required=False, max_length=200, initial=mark.note
            )
            self.fields[f"p{person.pk}"].widget.attrs.update(
                {"class": "form-check-input", "data-roll-present": person.pk}
            )
            self.fields[f"r{person.pk}"].widget.attrs.update(
                {"class": "form-select form-select-sm"}
            )
            self.fields[f"n{person.pk}"].widget.attrs.update(
                {"class": "form-control form-control-sm", "placeholder": "说明"}
            )

    def rows(self):
        for person in self.members:
            yield {
                "person": person,
                "present": self[f"p{person.pk}"],
                "reason": self[f"r{person.pk}"],
                "note": self[f"n{person.pk}"],
            }

    def marks(self) -> dict[int, Mark]:
        data = self.cleaned_data
        return {
            p.pk: Mark(
                present=bool(data.get(f"p{p.pk}")),
                reason="" if data.get(f"p{p.pk}") else data.get(f"r{p.pk}", ""),
                note=data.get(f"n{p.pk}", ""),
            )
            for p in self.members
        }


class ProblemForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label="提出的问题", required=False, widget=_text(2))
    solution = forms.CharField(label="解决办法", required=False, widget=_text(2))
    solved = forms.BooleanField(label="已解决", required=False)


class CompetitorForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    competitor = forms.CharField(
        label="竞争对手",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：某某证券××营业部"}),
    )
    action = forms.CharField(label="对手动态", required=False, widget=_text(2))
    source = forms.CharField(
        label="信息来源",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "客户反映、网点员工、宣传单……"}),
    )


class ActionForm(forms.Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    description = forms.CharField(label="待办事项", required=False, max_length=300)
    owner = PersonChoiceField(label="负责人", queryset=None, required=False, empty_label="负责人")
    due_date = forms.DateField(label="完成期限", required=False, widget=DATE)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["owner"].share(people)

    def clean(self):
        data = super().clean()
        if data.get("description") and (not data.get("owner") or not data.get("due_date")):
            raise forms.ValidationError("待办事项须指定负责人和完成期限。")
        return data


ProblemFormSet = forms.formset_factory(ProblemForm, extra=0)
CompetitorFormSet = forms.formset_factory(CompetitorForm, extra=0)
ActionFormSet = forms.formset_factory(ActionForm, extra=0)


def problem_entries(formset) -> list[ProblemEntry]:
    return [
        ProblemEntry(
            description=f.cleaned_data["description"],
            solution=f.cleaned_data.get("solution", ""),
            solved=f.cleaned_data.get("solved", False),
            pk=f.cleaned_data.get("pk"),
        )
        for f in formset.forms
        if f.cleaned_data.get("description", "").strip()
    ]


def competitor_entries(formset) -> list[CompetitorEntry]:
    out = []
    for f in formset.forms:
        data = f.cleaned_data
        if not (data.get("competitor", "").strip() or data.get("action", "").strip()):
            continue
        out.append(
            CompetitorEntry(
                competitor=data.get("competitor", ""),
                action=data.get("action", ""),
                source=data.get("source", ""),
                pk=data.get("pk"),
            )
        )
    return out


def action_entries(formset) -> list[ActionEntry]:
    return [
        ActionEntry(
            description=f.cleaned_data["description"],
            owner=f.cleaned_data["owner"],
            due_date=f.cleaned_data["due_date"],
            pk=f.cleaned_data.get("pk"),
        )
        for f in formset.forms
        if f.cleaned_data.get("description", "").strip()
    ]


class ReviewForm(forms.Form):
    """What the meeting says about each carried-over action item."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            self.fields[f"s{item.pk}"] = forms.ChoiceField(
                label="状态",
                choices=ActionStatus.choices,
                initial=item.status,
            )
            self.fields[f"s{item.pk}"].widget.attrs["class"] = "form-select form-select-sm"
            self.fields[f"m{item.pk}"] = forms.CharField(
                label="会上进展", required=False, max_length=300
            )
            self.fields[f"m{item.pk}"].widget.attrs.update(
                {"class": "form-control form-control-sm", "placeholder": "进展说明"}
            )

    def rows(self):
        for item in self.items:
            yield {"item": item, "status": self[f"s{item.pk}"], "note": self[f"m{item.pk}"]}

    def entries(self) -> dict[int, ReviewEntry]:
        data = self.cleaned_data
        return {
            item.pk: ReviewEntry(status=data[f"s{item.pk}"], note=data.get(f"m{item.pk}", ""))
            for item in self.items
        }


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label="状态", choices=ActionStatus.choices)
    note = forms.CharField(label="进展说明", required=False, max_length=300)

    def cleaned_data_label(self) -> str:
        return ActionStatus(self.cleaned_data["status"]).label


def default_due(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7)
