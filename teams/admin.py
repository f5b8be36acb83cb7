from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from teams.models import RulesFiling


@admin.register(RulesFiling)
class RulesFilingAdmin(SimpleHistoryAdmin):
    list_display = ("team", "version", "title", "status", "prepared_by", "approved_at")
    list_filter = ("status", "branch")
    search_fields = ("title", "team__name")
    list_select_related = ("team", "prepared_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
