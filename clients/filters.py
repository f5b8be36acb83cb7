import django_filters
from django.db.models import Q

from clients.models import Client, ClientTier
from portal.filters import BootstrapFilterSet
from staff.models import Team


class ClientFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    tier = django_filters.ModelChoiceFilter(
        queryset=ClientTier.objects.all(), label="客户级别", empty_label="全部级别"
    )
    status = django_filters.ChoiceFilter(
        choices=Client.Status.choices, label="状态", empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        choices=Client.Kind.choices, label="类型", empty_label="全部类型"
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    # A text box, not a select: a branch has hundreds of client managers.
    manager = django_filters.CharFilter(method="by_manager", label="客户经理（姓名或工号）")
    o = django_filters.OrderingFilter(
        fields=(
            ("crm_code", "crm_code"),
            ("name", "name"),
            ("tier__rank", "tier"),
            ("manager__name", "manager"),
            ("opened_on", "opened_on"),
        ),
        label="排序",
    )

    class Meta:
        model = Client
        fields = ["q", "tier", "status", "kind", "team", "manager"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user)

    def by_manager(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(manager__employee_no__iexact=value) | Q(manager__name__icontains=value)
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(crm_code__icontains=value) | Q(name__icontains=value))
