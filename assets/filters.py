import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from assets.models import Category, Handover, Holding, Incident, Item, Movement, StockTake
from portal.filters import BootstrapFilterSet
from staff.models import Outlet, Team


def _person_q(prefix: str, value: str) -> Q:
    return Q(**{f"{prefix}__employee_no__iexact": value}) | Q(
        **{f"{prefix}__name__icontains": value}
    )


class ItemFilter(BootstrapFilterSet):
    """The register's filters: team, outlet, custodian, category, status."""

    q = django_filters.CharFilter(method="search", label="编号或名称")
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    outlet = django_filters.ModelChoiceFilter(
        queryset=Outlet.objects.none(),
        method="by_outlet",
        label="网点",
        empty_label="全部网点",
    )
    # A text box, not a select: a branch has hundreds of people.
    custodian = django_filters.CharFilter(method="by_custodian", label="保管人（姓名或工号）")
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), label="类别", empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        choices=Item.Status.choices, label="状态", empty_label="全部状态"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("asset_no", "asset_no"),
            ("name", "name"),
            ("category__code", "category"),
            ("value", "value"),
            ("purchase_date", "purchase_date"),
            ("custodian__name", "custodian"),
            ("status", "status"),
        ),
        label="排序",
    )

    class Meta:
        model = Item
        fields = ["q", "team", "outlet", "custodian", "category", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user)
            self.filters["outlet"].queryset = Outlet.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(asset_no__icontains=value)
            | Q(name__icontains=value)
            | Q(specification__icontains=value)
        )

    def by_outlet(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Holding.objects.filter(item=OuterRef("pk"), outlet=value)))

    def by_custodian(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Exists(Holding.objects.filter(_person_q("holder", value), item=OuterRef("pk")))
        )


class MovementFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label="编号或名称")
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    kind = django_filters.ChoiceFilter(
        choices=Movement.Kind.choices, label="类型", empty_label="全部类型"
    )
    person = django_filters.CharFilter(method="by_person", label="交出或接收人")
    since = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="gte",
        label="起始日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="occurred_on",
        lookup_expr="lte",
        label="截止日期",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Movement
        fields = ["q", "team", "kind", "person", "since", "until"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(item__asset_no__icontains=value) | Q(item__name__icontains=value))

    def by_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(_person_q("from_holder", value) | _person_q("to_holder", value))


class HandoverFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Handover.Status.choices, label="状态", empty_label="全部状态"
    )
    reason = django_filters.ChoiceFilter(
        choices=Handover.Reason.choices, label="原因", empty_label="全部原因"
    )
    person = django_filters.CharFilter(method="by_person", label="交出人")

    class Meta:
        model = Handover
        fields = ["status", "reason", "person"]

    def by_person(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_person_q("person", value)) if value else queryset


class IncidentFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Incident.Status.choices, label="状态", empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        choices=Incident.Kind.choices, label="事件类型", empty_label="全部类型"
    )
    responsible = django_filters.CharFilter(method="by_person", label="责任人")

    class Meta:
        model = Incident
        fields = ["status", "kind", "responsible"]

    def by_person(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_person_q("responsible", value)) if value else queryset


class StockTakeFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(
        choices=StockTake.Status.choices, label="状态", empty_label="全部状态"
    )

    class Meta:
        model = StockTake
        fields = ["status"]
