import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from clients.models import Client, ClientTier
from portal.filters import BootstrapFilterSet
from staff.models import Team
from visits.models import (
    FollowUp,
    FollowUpCategory,
    FollowUpStatus,
    OverlapWarning,
    Visit,
    VisitMode,
    VisitPlan,
)
from visits.models.followups import NOT_CLOSED, OPEN_STATUSES

DATE = forms.DateInput(attrs={"type": "date"})


class _TeamScoped(BootstrapFilterSet):
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = user
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user).order_by(
                "branch__code", "code"
            )


def _person(field: str):
    def method(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{field}__employee_no__iexact": value})
            | Q(**{f"{field}__name__icontains": value})
        )

    return method


def _client(prefix: str = "client__"):
    def method(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(**{f"{prefix}crm_code": value}) | Q(**{f"{prefix}name__icontains": value})
        )

    return method


class VisitFilter(_TeamScoped):
    date_from = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="visited_on", lookup_expr="lte", label="日期止", widget=DATE
    )
    mode = django_filters.ChoiceFilter(
        choices=VisitMode.choices, label="走访方式", empty_label="全部方式"
    )
    visitor = django_filters.CharFilter(method="by_visitor", label="走访人（姓名或工号）")
    q = django_filters.CharFilter(method="by_client", label="客户（名称或客户号）")
    client = django_filters.NumberFilter(field_name="client_id", widget=forms.HiddenInput)
    mine = django_filters.BooleanFilter(
        method="by_mine", label="只看我的", widget=forms.CheckboxInput
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("visited_on", "date"),
            ("client__name", "client"),
            ("visitor__employee_no", "visitor"),
        )
    )

    class Meta:
        model = Visit
        fields = ["date_from", "date_to", "mode", "team", "visitor", "q", "client", "mine"]

    by_visitor = _person("visitor")
    by_client = _client()

    def by_mine(self, queryset, name, value):
        return queryset.filter(visitor=self.viewer) if value and self.viewer else queryset


class PlanFilter(_TeamScoped):
    status = django_filters.ChoiceFilter(
        choices=VisitPlan.Status.choices, label="状态", empty_label="全部状态"
    )
    date_from = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="lte", label="日期止", widget=DATE
    )
    manager = django_filters.CharFilter(method="by_manager", label="计划人（姓名或工号）")

    class Meta:
        model = VisitPlan
        fields = ["status", "date_from", "date_to", "team", "manager"]

    by_manager = _person("manager")


class FollowUpFilter(_TeamScoped):
    status = django_filters.ChoiceFilter(
        choices=[
            ("active", "未办结"),
            ("overdue", "已逾期"),
            *FollowUpStatus.choices,
        ],
        method="by_status",
        label="状态",
        empty_label="全部状态",
    )
    category = django_filters.ChoiceFilter(
        choices=FollowUpCategory.choices, label="问题类别", empty_label="全部类别"
    )
    owner = django_filters.CharFilter(method="by_owner", label="督办人（姓名或工号）")
    q = django_filters.CharFilter(method="by_client", label="客户（名称或客户号）")
    mine = django_filters.BooleanFilter(
        method="by_mine", label="只看我的", widget=forms.CheckboxInput
    )
    o = django_filters.OrderingFilter(
        fields=(("due_on", "due"), ("raised_on", "raised"), ("status", "status"))
    )

    class Meta:
        model = FollowUp
        fields = ["status", "category", "team", "owner", "q", "mine"]

    by_owner = _person("owner")
    by_client = _client()

    def by_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(status__in=NOT_CLOSED)
        if value == "overdue":
            return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
        return queryset.filter(status=value) if value else queryset

    def by_mine(self, queryset, name, value):
        return queryset.filter(owner=self.viewer) if value and self.viewer else queryset


class OverdueFilter(_TeamScoped):
    tier = django_filters.ModelChoiceFilter(
        queryset=ClientTier.objects.filter(is_active=True).order_by("rank"),
        label="客户级别",
        empty_label="全部级别",
    )
    manager = django_filters.CharFilter(method="by_manager", label="客户经理（姓名或工号）")
    q = django_filters.CharFilter(method="by_client", label="客户（名称或客户号）")

    class Meta:
        model = Client
        fields = ["tier", "team", "manager", "q"]

    by_manager = _person("manager")
    by_client = _client("")


class OverlapFilter(_TeamScoped):
    kind = django_filters.ChoiceFilter(
        choices=OverlapWarning.Kind.choices, label="类型", empty_label="全部类型"
    )
    date_from = django_filters.DateFilter(
        field_name="on_date", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="on_date", lookup_expr="lte", label="日期止", widget=DATE
    )
    person = django_filters.CharFilter(method="by_person", label="走访人（姓名或工号）")

    class Meta:
        model = OverlapWarning
        fields = ["kind", "team", "date_from", "date_to", "person"]

    by_person = _person("person")
