from django.contrib import admin

from portal.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "what", "format", "rows")
    list_filter = ("format", "what")
    search_fields = ("user__employee_no", "user__name", "what")
    date_hierarchy = "created_at"
    readonly_fields = ("user", "what", "format", "filters", "rows", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
