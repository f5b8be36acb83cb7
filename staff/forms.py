import datetime as dt
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from staff.models import Branch, CalendarYear, Department, Group, Level, Outlet, Team, User

_LINE = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:至|~|－|-{2}|到)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$"
)


def parse_calendar_lines(text: str, *, label: str) -> list[tuple[dt.date, str]]:
    """Parses lines like ``2027-02-06 至 2027-02-13 春节`` or ``2027-01-01 元旦``.

    Errors name the line so the administrator can find it."""
    days: list[tuple[dt.date, str]] = []
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            errors.append(
                f"{label}第 {number} 行无法识别：“{line.strip()}”，格式如 2027-02-06 至 2027-02-13 春节。"
            )
            continue
        try:
            start = dt.date.fromisoformat(_pad(match.group(1)))
            end = dt.date.fromisoformat(_pad(match.group(2))) if match.group(2) else start
        except ValueError:
            errors.append(f"{label}第 {number} 行的日期不存在：“{line.strip()}”。")
            continue
        if end < start:
            errors.append(f"{label}第 {number} 行的结束日期早于开始日期。")
            continue
        name = match.group(3).strip()
        day = start
        while day <= end:
            days.append((day, name))
            day += dt.timedelta(days=1)
    if errors:
        raise forms.ValidationError(errors)
    return days


def _pad(value: str) -> str:
    y, m, d = value.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


class CalendarYearForm(forms.ModelForm):
    """Enter a year's official schedule when the State Council publishes it."""

    holidays = forms.CharField(
        label="放假日期",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一段：2027-01-01 元旦，或 2027-02-06 至 2027-02-13 春节（含周末）。",
    )
    workdays = forms.CharField(
        label="调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一天：周末调为上班的日期，如 2027-02-14 春节调休。",
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "note"]

    def clean_holidays(self):
        return parse_calendar_lines(self.cleaned_data["holidays"], label="放假日期")

    def clean_workdays(self):
        return parse_calendar_lines(self.cleaned_data.get("workdays", ""), label="调休上班日期")


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="工号",
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    error_messages = {
        "invalid_login": "工号或密码不正确，请重新输入。",
        "inactive": "该账号已停用，请联系管理员。",
    }


class PostingChangeForm(forms.Form):
    """调动: move a person to another team, group, outlet or level (R-1.7)."""

    effective_on = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    branch = forms.ModelChoiceField(Branch.objects.all(), label="营业部", required=False)
    department = forms.ModelChoiceField(Department.objects.all(), label="总部部门", required=False)
    team = forms.ModelChoiceField(
        Team.objects.select_related("branch"), label="团队", required=False
    )
    group = forms.ModelChoiceField(
        Group.objects.select_related("team"), label="小组", required=False
    )
    outlet = forms.ModelChoiceField(Outlet.objects.all(), label="网点", required=False)
    level = forms.ModelChoiceField(Level.objects.all(), label="级别", required=False)
    reason = forms.CharField(label="变动原因", max_length=200)

    def __init__(self, *args, person: User, **kwargs):
        initial = {
            f: getattr(person, f)
            for f in ("branch", "department", "team", "group", "outlet", "level")
        }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
