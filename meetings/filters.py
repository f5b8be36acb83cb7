import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from meetings.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionStatus,
    CompetitorNote,
    Meeting,
    MeetingKind,
)
from portal.filters import BootstrapFilterSet
from staff.models import Team

DATE = forms.DateInput(attrs={"type": "date"})


class _TeamScoped(BootstrapFilterSet):
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), label="团队", empty_label="全部团队"
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.filters["team"].queryset = Team.objects.visible_to(user).order_by(
                "branch__code", "code"
            )


class MeetingFilter(_TeamScoped):
    kind = django_filters.ChoiceFilter(
        choices=MeetingKind.choices, label="会议类型", empty_label="全部类型"
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="日期止", widget=DATE
    )
    q = django_filters.CharFilter(method="search", label="内容包含")
    o = django_filters.OrderingFilter(
        fields=(("date", "date"), ("team__code", "team"), ("kind", "kind"))
    )

    class Meta:
        model = Meeting
        fields = ["team", "kind", "date_from", "date_to", "q"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in (
            "market",
            "company_news",
            "progress_report",
            "case_study",
            "morale",
            "agenda",
            "minutes",
            "progress_review",
            "method_changes",
            "decisions",
        ):
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)


class ActionItemFilter(_TeamScoped):
    status = django_filters.ChoiceFilter(
        choices=[("active", "未完成（未开始/进行中）"), *ActionStatus.choices],
        method="by_status",
        label="状态",
        empty_label="全部状态",
    )
    owner = django_filters.CharFilter(method="by_owner", label="负责人（姓名或工号）")
    overdue = django_filters.BooleanFilter(
        method="by_overdue", label="只看逾期", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        method="by_mine", label="只看我的", widget=forms.CheckboxInput
    )
    o = django_filters.OrderingFilter(
        fields=(("due_date", "due"), ("team__code", "team"), ("status", "status"))
    )

    class Meta:
        model = ActionItem
        fields = ["team", "status", "owner", "overdue", "mine"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.viewer = user

    def by_status(self, queryset, name, value):
        if value == "active":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value) if value else queryset

    def by_owner(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(owner__employee_no__iexact=value) | Q(owner__name__icontains=value)
        )

    def by_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())

    def by_mine(self, queryset, name, value):
        if not value or self.viewer is None:
            return queryset
        return queryset.filter(owner=self.viewer)


class CompetitorFilter(_TeamScoped):
    q = django_filters.CharFilter(method="search", label="关键词")
    competitor = django_filters.CharFilter(
        field_name="competitor", lookup_expr="icontains", label="竞争对手"
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="日期起", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="日期止", widget=DATE
    )
    o = django_filters.OrderingFilter(
        fields=(("date", "date"), ("competitor", "competitor"), ("team__code", "team"))
    )

    class Meta:
        model = CompetitorNote
        fields = ["q", "competitor", "team", "date_from", "date_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(competitor__icontains=value) | Q(action__icontains=value) | Q(source__icontains=value)
        )
