from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from teams.models import (
    AnalysisReport,
    MemberDuty,
    Pairing,
    SpotCheck,
    TargetSplit,
    TeamFiling,
    WorkLog,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written through the portal's services; the admin only looks."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TeamFiling)
class TeamFilingAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = (
        "team",
        "kind",
        "year",
        "version",
        "title",
        "status",
        "prepared_by",
        "approved_at",
    )
    list_filter = ("kind", "status", "year", "branch")
    search_fields = ("title", "team__name")
    list_select_related = ("team", "prepared_by")


@admin.register(TargetSplit)
class TargetSplitAdmin(ReadOnlyAdmin):
    list_display = ("team", "year", "is_current", "created_by", "created_at")
    list_filter = ("year", "is_current", "branch")
    list_select_related = ("team", "created_by")


@admin.register(WorkLog)
class WorkLogAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("date", "person", "team")
    list_filter = ("branch", "team")
    search_fields = ("person__name", "person__employee_no", "done")
    date_hierarchy = "date"
    list_select_related = ("person", "team")
    show_full_result_count = False


@admin.register(SpotCheck)
class SpotCheckAdmin(ReadOnlyAdmin):
    list_display = (
        "team",
        "period_start",
        "period_end",
        "population",
        "seed",
        "drawn_by",
        "drawn_at",
    )
    list_filter = ("branch",)
    list_select_related = ("team", "drawn_by")


@admin.register(MemberDuty)
class MemberDutyAdmin(ReadOnlyAdmin):
    list_display = ("team", "person", "duty", "valid_from", "valid_to")
    list_filter = ("duty",)
    list_select_related = ("team", "person")


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ("team", "developer", "servicer", "valid_from", "valid_to")
    list_select_related = ("team", "developer", "servicer")


@admin.register(AnalysisReport)
class AnalysisReportAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("team", "period", "year", "number", "status", "prepared_by", "archived_at")
    list_filter = ("period", "status", "year", "branch")
    list_select_related = ("team", "prepared_by")
