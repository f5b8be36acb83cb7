"""Admin of the attendance chapter: the configuration (leave rules and the
annual-leave table) is edited here; records are read-only, because they are
written only through the services (roll, leave, slips) with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from attendance.models import (
    AnnualLeaveTier,
    AttendanceDay,
    AttendanceRecord,
    CheckRound,
    LeavePolicy,
    LeaveRequest,
    OutingSlip,
    TeamEvent,
)


@admin.register(LeavePolicy)
class LeavePolicyAdmin(admin.ModelAdmin):
    list_display = ("kind", "max_days", "paid", "note")
    list_editable = ("max_days", "paid", "note")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AnnualLeaveTier)
class AnnualLeaveTierAdmin(admin.ModelAdmin):
    list_display = ("from_years", "days")
    list_editable = ("days",)


class ReadOnly:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, SimpleHistoryAdmin):
    """Records with history: the admin shows it."""


class ReadOnlyPlainAdmin(ReadOnly, admin.ModelAdmin):
    """Records that are never changed once written."""


@admin.register(AttendanceDay)
class AttendanceDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "team", "recorded_by", "revision", "provisional")
    list_filter = ("provisional", "branch")
    date_hierarchy = "date"
    list_select_related = ("team", "recorded_by")


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyAdmin):
    list_display = ("date", "person", "team", "status", "late_minutes", "overtime_hours")
    list_filter = ("status", "branch")
    search_fields = ("person__name", "person__employee_no")
    date_hierarchy = "date"
    list_select_related = ("person", "team")


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "start_date", "end_date", "days", "status", "filed_after")
    list_filter = ("status", "kind", "branch")
    search_fields = ("person__name", "person__employee_no")
    list_select_related = ("person",)


@admin.register(OutingSlip)
class OutingSlipAdmin(ReadOnlyPlainAdmin):
    list_display = ("person", "destination", "visitee", "planned_out", "planned_back")
    list_filter = ("branch",)
    search_fields = ("person__name", "destination", "visitee")
    list_select_related = ("person",)


@admin.register(CheckRound)
class CheckRoundAdmin(ReadOnlyPlainAdmin):
    list_display = ("team", "period_start", "period_end", "mode", "seed", "sample_size")
    list_select_related = ("team",)


@admin.register(TeamEvent)
class TeamEventAdmin(ReadOnlyPlainAdmin):
    list_display = ("date", "team", "kind", "topic", "title")
    list_filter = ("kind", "topic", "branch")
    list_select_related = ("team",)
