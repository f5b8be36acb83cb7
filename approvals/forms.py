import datetime as dt

from django import forms

from approvals.models import FlowStep, Task
from staff.models import Department, User


class EmployeeNumbersField(forms.CharField):
    """One or more 工号, separated by spaces or commas, resolved to people."""

    def __init__(self, *args, many: bool = True, **kwargs):
        self.many = many
        kwargs.setdefault("help_text", "填写工号，多人用逗号或空格分隔" if many else "填写工号")
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        numbers = [n for n in value.replace("，", ",").replace(",", " ").split() if n]
        if not numbers:
            return []
        if not self.many and len(numbers) > 1:
            raise forms.ValidationError("只能填写一个工号。")
        people = {
            u.employee_no: u for u in User.objects.filter(employee_no__in=numbers, is_active=True)
        }
        missing = [n for n in numbers if n not in people]
        if missing:
            raise forms.ValidationError(f"工号不存在或账号已停用：{'、'.join(missing)}")
        found = [people[n] for n in numbers]
        return found if self.many else found[0]


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApproveForm(OpinionForm):
    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        step = task.step_run.step
        self.choice_kind = step.choice_kind
        if step.choice_kind == FlowStep.ChoiceKind.DEPARTMENTS:
            self.fields["departments"] = forms.ModelMultipleChoiceField(
                Department.objects.filter(countersigns=True, is_active=True),
                label="须会签的部门",
                widget=forms.CheckboxSelectMultiple,
            )
        elif step.choice_kind == FlowStep.ChoiceKind.USERS:
            self.fields["users"] = EmployeeNumbersField(label="下一步审批人")


class RequiredOpinionForm(forms.Form):
    opinion = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(RequiredOpinionForm):
    to_step = forms.ModelChoiceField(FlowStep.objects.none(), label="退回到", empty_label=None)
    field_order = ["to_step", "opinion"]

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        step = task.step_run.step
        self.fields["to_step"].queryset = FlowStep.objects.filter(
            flow=step.flow, order__lt=step.order
        )


class TransferForm(OpinionForm):
    to_user = forms.ModelChoiceField(User.objects.none(), label="转交给", empty_label=None)
    field_order = ["to_user", "opinion"]

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = User.objects.filter(pk__in=[c.pk for c in candidates])


class AddSignerForm(OpinionForm):
    user = EmployeeNumbersField(label="加签人", many=False)
    position = forms.ChoiceField(
        label="加签位置",
        choices=[("before", "在我之前审批"), ("after", "在我之后审批")],
        initial="before",
    )
    field_order = ["user", "position", "opinion"]


class CcForm(OpinionForm):
    users = EmployeeNumbersField(label="抄送给")
    field_order = ["users", "opinion"]


class CommentForm(RequiredOpinionForm):
    pass


class DeputyForm(forms.Form):
    deputy = EmployeeNumbersField(label="代理人工号", many=False)
    valid_from = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(
        label="结束日期（含）", widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_from")
            and data.get("last_day")
            and data["last_day"] < data["valid_from"]
        ):
            self.add_error("last_day", "结束日期不能早于开始日期。")
        return data

    @property
    def valid_to(self) -> dt.date:
        return self.cleaned_data["last_day"] + dt.timedelta(days=1)
