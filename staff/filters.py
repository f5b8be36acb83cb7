import django_filters
from django.db.models import Q

from portal.filters import BootstrapFilterSet
from staff.models import Branch, Level, Team, User


class PersonFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label="搜索")
    branch = django_filters.ModelChoiceFilter(
        queryset=Branch.objects.none(), label="营业部", empty_label="全部营业部"
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    level = django_filters.ModelChoiceFilter(
        queryset=Level.objects.all(), label="级别", empty_label="全部级别"
    )
    status = django_filters.ChoiceFilter(
        choices=User.Status.choices, label="状态", empty_label="全部状态"
    )
    employment_type = django_filters.ChoiceFilter(
        choices=User.EmploymentType.choices, label="用工类型", empty_label="全部类型"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("employee_no", "employee_no"),
            ("name", "name"),
            ("team__code", "team"),
            ("level__rank", "level"),
            ("hired_on", "hired_on"),
            ("status", "status"),
        ),
        label="排序",
    )

    class Meta:
        model = User
        fields = ["q", "branch", "team", "level", "status", "employment_type"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["branch"].queryset = Branch.objects.visible_to(user)
            self.filters["team"].queryset = Team.objects.visible_to(user).select_related("branch")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(employee_no__icontains=value) | Q(name__icontains=value) | Q(phone__contains=value)
        )
