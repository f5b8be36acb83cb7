"""Forms of the attendance chapter. The roll, patrol and event-attendance
forms have one set of fields per person, built from the day's members."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from attendance.models import (
    AttendanceRecord,
    CheckRound,
    EventAttendance,
    Half,
    LeaveKind,
    OutingCheck,
    PatrolEntry,
    TeamEvent,
)
from attendance.services.roll import RollEntry
from staff.models import Outlet, Team, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SMALL = {"class": "form-control form-control-sm"}
ENTRY_PREFIXES = (
    ("status", "s"),
    ("arrived", "a"),
    ("left", "l"),
    ("post", "p"),
    ("overtime", "o"),
    ("note", "n"),
)
STATUS_CHOICES = [
    (AttendanceRecord.Status.PRESENT, "出勤"),
    (AttendanceRecord.Status.ABSENT, "旷工"),
]


def parse_month(value: str | None, default: dt.date) -> tuple[int, int]:
    """A ``YYYY-MM`` query value, or the default's month."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        dt.date(year, month, 1)
    except (TypeError, ValueError):
        return default.year, default.month
    return year, month


class EntryFields:
    """The fields of one person's entry, prefixed with his id."""

    @staticmethod
    def add(form: forms.Form, pid: int, initial: RollEntry) -> None:
        form.fields[f"s_{pid}"] = forms.ChoiceField(
            label="出勤情况",
            choices=STATUS_CHOICES,
            required=False,  # present unless said otherwise
            initial=initial.status,
            widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        )
        form.fields[f"a_{pid}"] = forms.TimeField(
            label="到岗时间",
            required=False,
            initial=initial.arrived_at,
            widget=forms.TimeInput(attrs={"type": "time", **SMALL}, format="%H:%M"),
        )
        form.fields[f"l_{pid}"] = forms.TimeField(
            label="离岗时间",
            required=False,
            initial=initial.left_at,
            widget=forms.TimeInput(attrs={"type": "time", **SMALL}, format="%H:%M"),
        )
        form.fields[f"p_{pid}"] = forms.BooleanField(
            label="擅自离岗",
            required=False,
            initial=initial.left_post,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        )
        form.fields[f"o_{pid}"] = forms.DecimalField(
            label="加班小时",
            required=False,
            min_value=0,
            max_value=16,
            decimal_places=1,
            initial=initial.overtime_hours or None,
            widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "16", **SMALL}),
        )
        form.fields[f"n_{pid}"] = forms.CharField(
            label="备注",
            required=False,
            max_length=200,
            initial=initial.note,
            widget=forms.TextInput(attrs=SMALL),
        )

    @staticmethod
    def entry(cleaned: dict, pid: int) -> RollEntry:
        return RollEntry(
            status=cleaned.get(f"s_{pid}") or AttendanceRecord.Status.PRESENT,
            arrived_at=cleaned.get(f"a_{pid}"),
            left_at=cleaned.get(f"l_{pid}"),
            left_post=bool(cleaned.get(f"p_{pid}")),
            overtime_hours=cleaned.get(f"o_{pid}") or Decimal(0),
            note=cleaned.get(f"n_{pid}") or "",
        )


class RollForm(forms.Form):
    """The whole team's day on one screen: present by default (R-2.2)."""

    reason = forms.CharField(
        label="更正原因",
        required=False,
        max_length=200,
        help_text="该日考勤已保存过，再次保存即为更正，须写明原因。",
    )

    def __init__(self, *args, rows, saved: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.saved = saved
        self.editable = [r for r in rows if not r.foreign and not r.full_leave]
        for row in self.editable:
            initial = RollEntry.of(row.record) if row.record else RollEntry()
            EntryFields.add(self, row.person.pk, initial)
        if not saved:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = "该日考勤已保存过，更正须填写原因。"

    def row_fields(self) -> list[dict]:
        out = []
        for row in self.rows:
            pid = row.person.pk
            fields = None
            if f"s_{pid}" in self.fields:
                fields = {name: self[f"{prefix}_{pid}"] for name, prefix in ENTRY_PREFIXES}
            out.append({"row": row, "f": fields})
        return out

    def entries(self) -> dict[int, RollEntry]:
        return {
            r.person.pk: EntryFields.entry(self.cleaned_data, r.person.pk) for r in self.editable
        }


class CorrectionForm(forms.Form):
    """One record corrected by the recorder, or a dispute resolved."""

    def __init__(self, *args, record, with_reason: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        EntryFields.add(self, record.person_id, RollEntry.of(record))
        self.pid = record.person_id
        if with_reason:
            self.fields["reason"] = forms.CharField(label="更正原因", max_length=200)

    def entry(self) -> RollEntry:
        return EntryFields.entry(self.cleaned_data, self.pid)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="申诉理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：当天 8:55 已到岗，有网点签到表为证。",
    )


class ResolveForm(CorrectionForm):
    decision = forms.ChoiceField(
        label="处理结果",
        choices=[("accept", "采纳，按下方内容更正记录"), ("reject", "不采纳")],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label="处理意见", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"})
    )

    def __init__(self, *args, record, **kwargs):
        super().__init__(*args, record=record, with_reason=False, **kwargs)


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label="假别", choices=LeaveKind.choices)
    start_date = forms.DateField(label="开始日期", widget=DATE)
    start_half = forms.ChoiceField(
        label="开始于", choices=Half.choices, initial=Half.AM, widget=forms.RadioSelect
    )
    end_date = forms.DateField(label="结束日期", widget=DATE)
    end_half = forms.ChoiceField(
        label="结束于",
        choices=[(Half.AM, "上午（中午结束）"), (Half.PM, "下午（下班结束）")],
        initial=Half.PM,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="请假事由", widget=forms.Textarea(attrs={"rows": 3}))
    deputy = forms.ModelChoiceField(
        label="审批代理人",
        queryset=User.objects.none(),
        required=False,
        empty_label="默认：团队负责人",
        help_text="请假期间代您处理审批待办的人。团队负责人请假时须指定。",
    )
    sick_note = forms.FileField(
        label="病假条 / 诊断证明",
        required=False,
        help_text="事后补办病假时必须上传（PDF 或图片）。",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, person: User, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = User.objects.filter(is_active=True, status=User.Status.ACTIVE).exclude(
            pk=person.pk
        )
        if person.branch_id:
            candidates = candidates.filter(branch_id=person.branch_id)
        elif person.department_id:
            candidates = candidates.filter(department_id=person.department_id)
        self.fields["deputy"].queryset = candidates.order_by("employee_no")
        self.fields["deputy"].label_from_instance = lambda u: (
            f"{u.name}（{u.employee_no}）{u.title}"
        )


def _local_now_rounded(minutes: int) -> dt.datetime:
    now = timezone.localtime() + dt.timedelta(minutes=minutes)
    return now.replace(second=0, microsecond=0)


class OutingSlipForm(forms.Form):
    """营销人员出访单, filled on a phone before leaving (R-2.6)."""

    destination = forms.CharField(label="目的地", max_length=200)
    visitee = forms.CharField(label="被访人", max_length=100)
    contact = forms.CharField(
        label="联系方式",
        max_length=50,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    purpose = forms.CharField(label="出访目的", widget=forms.Textarea(attrs={"rows": 2}))
    planned_out = forms.DateTimeField(label="计划外出时间", widget=DATETIME)
    planned_back = forms.DateTimeField(label="计划返回时间", widget=DATETIME)
    photo = forms.FileField(
        label="现场照片（可选）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    latitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput
    )
    accuracy = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("planned_out", _local_now_rounded(10))
            self.initial.setdefault("planned_back", _local_now_rounded(130))


class CheckRoundForm(forms.Form):
    team = forms.ModelChoiceField(label="团队", queryset=Team.objects.none(), empty_label=None)
    period_start = forms.DateField(label="期间自", widget=DATE)
    period_end = forms.DateField(label="期间至", widget=DATE)
    mode = forms.ChoiceField(
        label="方式",
        choices=CheckRound.Mode.choices,
        initial=CheckRound.Mode.SAMPLE,
        widget=forms.RadioSelect,
    )
    sample_size = forms.IntegerField(
        label="抽查份数",
        required=False,
        min_value=1,
        help_text="留空则抽取期间出访单的五分之一（至少 1 份）。",
    )
    seed = forms.IntegerField(
        label="随机种子",
        required=False,
        min_value=0,
        max_value=2**62,
        help_text="留空自动生成；填写以前的种子和期间可重现同一份样本。",
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class CheckResultForm(forms.Form):
    result = forms.ChoiceField(
        label="核查结果",
        choices=[
            (OutingCheck.Result.CONFIRMED, "属实"),
            (OutingCheck.Result.DISCREPANCY, "不符"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="核查说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如何核实（电话回访被访人、查看照片与定位等）；不符时必填。",
    )


class PatrolForm(forms.Form):
    date = forms.DateField(label="巡查日期", widget=DATE)
    time = forms.TimeField(label="巡查时间", required=False, widget=TIME)
    outlet = forms.ModelChoiceField(
        label="巡查网点", queryset=Outlet.objects.none(), required=False, empty_label="（多个网点）"
    )
    notes = forms.CharField(
        label="巡查情况",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：向网点负责人了解人员动态的情况。",
    )

    def __init__(self, *args, team: Team, members: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["outlet"].queryset = Outlet.objects.filter(
            branch_id=team.branch_id, is_active=True
        )
        choices = [("", "—（未涉及）"), *PatrolEntry.Found.choices]
        for m in members:
            self.fields[f"f_{m.pk}"] = forms.ChoiceField(
                label=m.name,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"m_{m.pk}"] = forms.CharField(
                label="说明", required=False, max_length=200, widget=forms.TextInput(attrs=SMALL)
            )

    def member_fields(self) -> list[dict]:
        return [
            {"person": m, "found": self[f"f_{m.pk}"], "note": self[f"m_{m.pk}"]}
            for m in self.members
        ]

    def entries(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {
            m.pk: (data[f"f_{m.pk}"], data.get(f"m_{m.pk}") or "")
            for m in self.members
            if data.get(f"f_{m.pk}")
        }


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=TeamEvent.Kind.choices)
    topic = forms.ChoiceField(label="内容类别", choices=TeamEvent.Topic.choices)
    title = forms.CharField(label="主题", max_length=120)
    date = forms.DateField(label="日期", widget=DATE)
    start_time = forms.TimeField(label="开始时间", required=False, widget=TIME)
    end_time = forms.TimeField(label="结束时间", required=False, widget=TIME)
    place = forms.CharField(label="地点", required=False, max_length=120)
    trainer = forms.CharField(label="讲师/负责人", required=False, max_length=60)
    notes = forms.CharField(
        label="内容摘要", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    roster = forms.ModelMultipleChoiceField(
        label="参加人员",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="团队成员须参加团队组织的培训和营销活动（第八条（三））。",
    )

    def __init__(self, *args, members: list[User], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roster"].queryset = User.objects.filter(
            pk__in=[m.pk for m in members]
        ).order_by("employee_no")
        self.fields["roster"].label_from_instance = lambda u: u.name
        if not self.is_bound:
            self.initial.setdefault("roster", [m.pk for m in members])


class EventAttendanceForm(forms.Form):
    def __init__(self, *args, roster: list[EventAttendance], **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        choices = [
            (EventAttendance.Status.PRESENT, "到场"),
            (EventAttendance.Status.EXCUSED, "请假"),
            (EventAttendance.Status.ABSENT, "缺席"),
        ]
        for row in roster:
            initial = row.status if row.status != EventAttendance.Status.EXPECTED else "present"
            self.fields[f"s_{row.person_id}"] = forms.ChoiceField(
                label=row.person.name,
                choices=choices,
                initial=initial,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"n_{row.person_id}"] = forms.CharField(
                label="说明",
                required=False,
                max_length=200,
                initial=row.note,
                widget=forms.TextInput(attrs=SMALL),
            )

    def rows(self) -> list[dict]:
        return [
            {"row": r, "status": self[f"s_{r.person_id}"], "note": self[f"n_{r.person_id}"]}
            for r in self.roster
        ]

    def statuses(self) -> dict[int, str]:
        return {r.person_id: self.cleaned_data[f"s_{r.person_id}"] for r in self.roster}

    def notes(self) -> dict[int, str]:
        return {r.person_id: self.cleaned_data.get(f"n_{r.person_id}", "") for r in self.roster}
