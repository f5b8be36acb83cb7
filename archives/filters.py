"""List filters of the archives, shared by pages and exports."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone

from archives.models import ConfirmationSlip, Contract
from archives.models.contracts import EXPIRY_WINDOW_DAYS
from archives.selectors.files import incomplete_q
from portal.filters import BootstrapFilterSet
from staff.models import Team, User


def _person_q(prefix: str, value: str) -> Q:
    return Q(**{f"{prefix}employee_no__iexact": value}) | Q(**{f"{prefix}name__icontains": value})


class FileFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label="姓名或工号")
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    status = django_filters.ChoiceFilter(
        choices=User.Status.choices, label="人员状态", empty_label="全部状态"
    )
    employment_type = django_filters.ChoiceFilter(
        choices=User.EmploymentType.choices, label="用工类型", empty_label="全部类型"
    )
    state = django_filters.ChoiceFilter(
        choices=[("incomplete", "缺材料"), ("unchecked", "证件待核验"), ("ready", "齐全且已核验")],
        method="by_state",
        label="档案情况",
        empty_label="全部",
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("employee_no", "employee_no"),
            ("name", "name"),
            ("team__code", "team"),
            ("status", "status"),
            ("contract_ends", "contract_ends"),
            ("sac_expires_on", "sac"),
        ),
        label="排序",
    )

    class Meta:
        model = User
        fields = ["q", "team", "status", "employment_type", "state"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user).select_related("branch")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(_person_q("", value)) if value else queryset

    def by_state(self, queryset, name, value):
        if value == "incomplete":
            return queryset.filter(incomplete_q())
        if value == "unchecked":
            return queryset.filter(Q(unchecked=True) | Q(check_failed=True))
        if value == "ready":
            return queryset.exclude(incomplete_q()).filter(unchecked=False, check_failed=False)
        return queryset


class ContractFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label="姓名、工号或合同编号")
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(),
        field_name="person__team",
        label="团队",
        empty_label="全部团队",
    )
    kind = django_filters.ChoiceFilter(
        choices=Contract.Kind.choices, label="合同类型", empty_label="全部类型"
    )
    state = django_filters.ChoiceFilter(
        choices=Contract.State.choices, method="by_state", label="状态", empty_label="全部状态"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("person__employee_no", "person"),
            ("starts_on", "starts_on"),
            ("ends_on", "ends_on"),
            ("signed_on", "signed_on"),
        ),
        label="排序",
    )

    class Meta:
        model = Contract
        fields = ["q", "team", "kind", "state"]

    def __init__(self, *args, user=None, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user).select_related("branch")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(_person_q("person__", value) | Q(number__icontains=value))

    def by_state(self, queryset, name, value):
        today = self.today
        soon = today + dt.timedelta(days=EXPIRY_WINDOW_DAYS)
        live = Q(terminated_on__isnull=True) | Q(terminated_on__gt=today)
        running = live & Q(starts_on__lte=today, ends_on__gte=today)
        states = {
            Contract.State.TERMINATED: Q(terminated_on__lte=today),
            Contract.State.FUTURE: live & Q(starts_on__gt=today),
            Contract.State.ENDED: live & Q(ends_on__lt=today, is_renewed=False),
            Contract.State.RENEWED: live & Q(ends_on__lt=today, is_renewed=True),
            Contract.State.EXPIRING: running & Q(ends_on__lte=soon, is_renewed=False),
            Contract.State.ACTIVE: running & (Q(ends_on__gt=soon) | Q(is_renewed=True)),
        }
        return queryset.filter(states[value]) if value in states else queryset


class SlipFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(method="search", label="流水号、客户或客户经理")
    month = django_filters.CharFilter(method="by_month", label="所属月份")
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )
    status = django_filters.ChoiceFilter(
        choices=ConfirmationSlip.Status.choices, label="状态", empty_label="全部状态"
    )
    o = django_filters.OrderingFilter(
        fields=(
            ("number", "number"),
            ("issued_on", "issued_on"),
            ("opened_on", "opened_on"),
            ("manager__employee_no", "manager"),
        ),
        label="排序",
    )

    class Meta:
        model = ConfirmationSlip
        fields = ["q", "month", "team", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["month"].field.widget.input_type = "month"
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user).select_related("branch")

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(client__crm_code=value)
            | Q(client__name__icontains=value)
            | _person_q("manager__", value)
        )

    def by_month(self, queryset, name, value):
        try:
            year, month = (int(p) for p in value.strip().split("-")[:2])
            return queryset.filter(month=dt.date(year, month, 1))
        except (ValueError, TypeError):
            return queryset.none()
