"""Meetings are written through the services (their pages); the admin only
shows them, with their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from meetings.models import ActionItem, CompetitorNote, Meeting


class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnly):
    list_display = ("date", "kind", "team", "host", "recorded_by")
    list_filter = ("kind", "branch")
    date_hierarchy = "date"
    search_fields = ("team__name", "minutes")
    list_select_related = ("team", "host", "recorded_by")


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnly):
    list_display = ("description", "team", "owner", "due_date", "status")
    list_filter = ("status", "branch")
    search_fields = ("description", "owner__name")
    list_select_related = ("team", "owner")


@admin.register(CompetitorNote)
class CompetitorNoteAdmin(ReadOnly):
    list_display = ("date", "competitor", "team", "source")
    search_fields = ("competitor", "action", "source")
    list_select_related = ("team",)
