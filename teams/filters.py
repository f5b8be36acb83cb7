import django_filters
from django.db.models import Q

from portal.filters import BootstrapFilterSet
from staff.models import Team
from teams.models import AnalysisReport, FilingKind, FilingStatus, SpotCheck, TeamFiling, WorkLog


def _date_filter(field_name: str, lookup_expr: str, label: str) -> django_filters.DateFilter:
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup_expr,
        label=label,
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )


class TeamScopedFilterSet(BootstrapFilterSet):
    """A list filtered by team, offering only the teams the user sees."""

    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user)

    def ordered(self, *default: str):
        """The filtered rows in the order the user chose (``o``), else ``default``."""
        return self.qs if (self.data or {}).get("o") else self.qs.order_by(*default)


class FilingFilter(TeamScopedFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=FilingKind.choices, label="文件类型", empty_label="全部类型"
    )
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(
        choices=FilingStatus.choices, label="状态", empty_label="全部状态"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("team__code", "team"),
            ("kind", "kind"),
            ("year", "year"),
            ("approved_at", "approved_at"),
        ),
    )

    class Meta:
        model = TeamFiling
        fields = ["kind", "team", "year", "status"]


class WorkLogFilter(TeamScopedFilterSet):
    person = django_filters.CharFilter(method="by_person", label="人员（姓名或工号）")
    date_from = _date_filter("date", "gte", "日期起")
    date_to = _date_filter("date", "lte", "日期止")
    o = django_filters.OrderingFilter(fields=(("date", "date"), ("person__employee_no", "person")))

    class Meta:
        model = WorkLog
        fields = ["team", "person", "date_from", "date_to"]

    def by_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__employee_no__iexact=value) | Q(person__name__icontains=value)
        )


class ReportFilter(TeamScopedFilterSet):
    period = django_filters.ChoiceFilter(
        choices=AnalysisReport.Period.choices, label="报告类型", empty_label="全部类型"
    )
    year = django_filters.NumberFilter(label="年度")
    status = django_filters.ChoiceFilter(
        choices=AnalysisReport.Status.choices, label="状态", empty_label="全部状态"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("team__code", "team"),
            ("start", "period"),
            ("status", "status"),
            ("archived_at", "archived_at"),
        ),
    )

    class Meta:
        model = AnalysisReport
        fields = ["team", "period", "year", "status"]


class SpotCheckFilter(TeamScopedFilterSet):
    date_from = _date_filter("period_end", "gte", "期间起")
    date_to = _date_filter("period_start", "lte", "期间止")
    o = django_filters.OrderingFilter(
        fields=(("team__code", "team"), ("period_start", "period"), ("drawn_at", "drawn_at")),
    )

    class Meta:
        model = SpotCheck
        fields = ["team", "date_from", "date_to"]
