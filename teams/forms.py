from django import forms
from django.utils import timezone

from staff.models import PartnerBank
from staff.services import FUTURE_MOVE_REFUSED
from teams.models import FilingKind, TeamFiling

KIND_FIELDS = {
    FilingKind.RULES: ["effective_from"],
    FilingKind.ANNUAL_PLAN: [
        "year",
        "target_new_accounts",
        "target_net_revenue",
        "target_client_assets",
    ],
    FilingKind.MARKETING: ["year"],
    FilingKind.COOPERATION: ["year", "partner_bank", "term_start", "term_end"],
    FilingKind.RECRUITMENT: ["year", "headcount"],
    FilingKind.ASSESSMENT: ["year", "effective_from"],
}
CONTENT_LABELS = {
    FilingKind.RULES: "细则正文",
    FilingKind.ANNUAL_PLAN: "工作计划（市场分析、工作思路、措施）",
    FilingKind.MARKETING: "营销方案正文",
    FilingKind.COOPERATION: "合作条款",
    FilingKind.RECRUITMENT: "招聘计划（岗位、条件、时间安排）",
    FilingKind.ASSESSMENT: "考核办法正文",
}


class FilingForm(forms.ModelForm):
    """One form for every kind of filing, showing the fields its kind needs."""

    class Meta:
        model = TeamFiling
        fields = [
            "team",
            "title",
            "year",
            "target_new_accounts",
            "target_net_revenue",
            "target_client_assets",
            "partner_bank",
            "term_start",
            "term_end",
            "headcount",
            "effective_from",
            "content",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 12}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "term_start": forms.DateInput(attrs={"type": "date"}),
            "term_end": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, kind: str, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = {"team", "title", "content", *KIND_FIELDS[kind]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if teams is not None and "team" in self.fields:
            self.fields["team"].queryset = teams
        if self.instance.pk:
            self.fields.pop("team", None)
        self.fields["content"].label = CONTENT_LABELS[kind]
        if "year" in self.fields:
            self.fields["year"].required = True
        if "partner_bank" in self.fields:
            self.fields["partner_bank"].required = True
            self.fields["partner_bank"].queryset = PartnerBank.objects.filter(is_active=True)
        for name in ("term_start", "term_end", "headcount"):
            if name in self.fields:
                self.fields[name].required = True
        if kind == FilingKind.ANNUAL_PLAN:
            for name in ("target_new_accounts", "target_net_revenue", "target_client_assets"):
                self.fields[name].required = True


class UploadForm(forms.Form):
    file = forms.FileField(label="附件（PDF、图片、Word、Excel，单个不超过 10 MB）")


class SubmitForm(forms.Form):
    opinion = forms.CharField(
        label="报批说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class _TeamMemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.employee_no}）"


def _members(team):
    from staff.models import User

    return User.objects.filter(team=team).exclude(status=User.Status.LEFT).order_by("employee_no")


class DutyForm(forms.Form):
    person = _TeamMemberChoice(queryset=None, label="成员")
    duty = forms.ChoiceField(label="分工", choices=[])
    valid_from = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, team, **kwargs):
        from teams.models import Duty

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members(team)
        self.fields["duty"].choices = Duty.choices


class PairingForm(forms.Form):
    developer = _TeamMemberChoice(queryset=None, label="开发人员")
    servicer = _TeamMemberChoice(queryset=None, label="服务人员")
    valid_from = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["developer"].queryset = _members(team)
        self.fields["servicer"].queryset = _members(team)


class WorkLogForm(forms.Form):
    done = forms.CharField(
        label="今日工作",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="拜访、电话、营销活动、网点驻点等",
    )
    clients = forms.ModelMultipleChoiceField(
        queryset=None,
        label="联系的客户",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    contacts = forms.CharField(
        label="联系客户情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    plan_tomorrow = forms.CharField(
        label="明日计划", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, person, **kwargs):
        from clients.models import Client

        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = (
            Client.objects.filter(manager=person)
            .exclude(status=Client.Status.CLOSED)
            .order_by("name")
        )


class SpotCheckForm(forms.Form):
    period_start = forms.DateField(label="期间起", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="期间止", widget=forms.DateInput(attrs={"type": "date"}))
    sample_size = forms.IntegerField(label="抽查份数", min_value=1, required=False)
    sample_percent = forms.IntegerField(
        label="或抽查比例（%）", min_value=1, max_value=100, required=False
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label="结论", choices=[])
    comment = forms.CharField(label="点评", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        from teams.models import Verdict

        super().__init__(*args, **kwargs)
        self.fields["verdict"].choices = Verdict.choices


class ReportStartForm(forms.Form):
    period = forms.ChoiceField(label="报告类型", choices=[])
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label="期次",
        min_value=1,
        max_value=12,
        help_text="月度报告填月份；半年报告填 1（上半年）或 2（下半年）；年度报告填 1",
    )

    def __init__(self, *args, **kwargs):
        from teams.models import AnalysisReport

        super().__init__(*args, **kwargs)
        self.fields["period"].choices = AnalysisReport.Period.choices


class ReportForm(forms.Form):
    analysis = forms.CharField(
        label="业务分析",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="本期业务进展、目标完成情况、原因分析",
    )
    measures = forms.CharField(
        label="下一步工作思路", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    refresh_figures = forms.BooleanField(label="按最新数据重新生成图表和数据", required=False)


class PersonForm(forms.Form):
    employee_no = forms.CharField(label="工号", max_length=20)
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    group = forms.ModelChoiceField(queryset=None, label="小组", required=False)
    outlet = forms.ModelChoiceField(queryset=None, label="网点", required=False)
    level = forms.ModelChoiceField(queryset=None, label="级别", required=False)
    employment_type = forms.ChoiceField(label="用工类型", choices=[])
    hired_on = forms.DateField(label="入职日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, team, **kwargs):
        from staff.models import Group, Level, Outlet, User

        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(team=team)
        self.fields["outlet"].queryset = Outlet.objects.filter(branch_id=team.branch_id)
        self.fields["level"].queryset = Level.objects.filter(is_active=True)
        self.fields["employment_type"].choices = User.EmploymentType.choices


class MoveForm(forms.Form):
    person = _TeamMemberChoice(queryset=None, label="人员")
    group = forms.ModelChoiceField(queryset=None, label="调至小组", required=False)
    outlet = forms.ModelChoiceField(queryset=None, label="调至网点", required=False)
    effective_on = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="调整原因", max_length=200)

    def __init__(self, *args, team, **kwargs):
        from staff.models import Group, Outlet

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members(team)
        self.fields["group"].queryset = Group.objects.filter(team=team)
        self.fields["outlet"].queryset = Outlet.objects.filter(branch_id=team.branch_id)

    def clean_effective_on(self):
        effective_on = self.cleaned_data["effective_on"]
        if effective_on > timezone.localdate():
            raise forms.ValidationError(FUTURE_MOVE_REFUSED)
        return effective_on


class LeavingForm(forms.Form):
    person = _TeamMemberChoice(queryset=None, label="人员")
    on = forms.DateField(label="提出离职日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="离职原因", max_length=200)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        from staff.models import User

        self.fields["person"].queryset = _members(team).filter(status=User.Status.ACTIVE)


class GroupForm(forms.Form):
    name = forms.CharField(label="小组名称", max_length=50)


class GroupLeaderForm(forms.Form):
    group = forms.ModelChoiceField(queryset=None, label="小组")
    person = _TeamMemberChoice(queryset=None, label="小组长")
    valid_from = forms.DateField(label="任命日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, team, **kwargs):
        from staff.models import Group

        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(team=team)
        self.fields["person"].queryset = _members(team)


class RosterUploadForm(forms.Form):
    file = forms.FileField(label="花名册文件（Excel .xlsx/.xls 或 CSV）")


class NoteForm(forms.Form):
    member = forms.ModelChoiceField(queryset=None, label="谈话对象")
    date = forms.DateField(label="谈话日期", widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label="主题", max_length=100)
    content = forms.CharField(label="谈话内容", widget=forms.Textarea(attrs={"rows": 5}))
    follow_up = forms.CharField(
        label="跟进事项", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda obj: f"{obj.name}（{obj.employee_no}）"
