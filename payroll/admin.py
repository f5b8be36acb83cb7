from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from payroll.models import DutyItem, PayrollRun, PayrollSettings, PayStandard, ScoreBand


@admin.register(PayrollSettings)
class PayrollSettingsAdmin(SimpleHistoryAdmin):
    list_display = (
        "branch",
        "effective_month",
        "paid_days",
        "minimum_wage",
        "pension_rate",
        "medical_rate",
        "unemployment_rate",
        "housing_rate",
        "contribution_floor",
        "contribution_ceiling",
    )
    list_filter = ("branch",)


@admin.register(DutyItem)
class DutyItemAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name", "max_points", "is_active")
    ordering = ("order",)


@admin.register(ScoreBand)
class ScoreBandAdmin(admin.ModelAdmin):
    list_display = ("min_score", "coefficient")


@admin.register(PayStandard)
class PayStandardAdmin(SimpleHistoryAdmin):
    list_display = ("branch", "version", "effective_month", "status", "prepared_by", "approved_at")
    list_filter = ("branch", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PayrollRun)
class PayrollRunAdmin(admin.ModelAdmin):
    list_display = (
        "branch",
        "month",
        "version",
        "status",
        "computed_by",
        "computed_at",
        "locked_at",
    )
    list_filter = ("branch", "status")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
