import django_filters
from django.db.models import Q

from portal.filters import BootstrapFilterSet
from staff.models import Team
from teams.models import FilingKind, FilingStatus, TeamFiling, WorkLog


class FilingFilter(BootstrapFilterSet):
    kind = django_filters.ChoiceFilter(
        choices=FilingKind.choices, label="文件类型", empty_label="全部类型"
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user)


class WorkLogFilter(BootstrapFilterSet):
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    person = django_filters.CharFilter(method="by_person", label="人员（姓名或工号）")
    date_from = django_filters.DateFilter(
        field_name="date",
        lookup_expr="gte",
        label="日期起",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="date",
        lookup_expr="lte",
        label="日期止",
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    o = django_filters.OrderingFilter(fields=(("date", "date"), ("person__employee_no", "person")))

    class Meta:
        model = WorkLog
        fields = ["team", "person", "date_from", "date_to"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user)

    def by_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(person__employee_no__iexact=value) | Q(person__name__icontains=value)
        )
