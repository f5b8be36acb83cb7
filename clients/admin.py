from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clients.models import Client, ClientAssignment, ClientTier


@admin.register(ClientTier)
class ClientTierAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "name", "visit_interval_days", "min_assets", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    ordering = ("rank",)


class ClientAssignmentInline(admin.TabularInline):
    model = ClientAssignment
    fk_name = "client"
    extra = 0
    can_delete = False
    fields = ("manager", "team", "valid_from", "valid_to", "source", "reason", "created_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ("crm_code", "name", "kind", "tier", "status", "manager", "team", "branch")
    list_filter = ("tier", "status", "kind", "branch")
    search_fields = ("crm_code", "name", "manager__name", "manager__employee_no")
    list_select_related = ("tier", "manager", "team", "branch")
    readonly_fields = ("manager", "branch", "team", "group", "outlet", "created_at")
    inlines = [ClientAssignmentInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        # Clients join the registry through the CRM import or a slip, with an owner.
        return False


@admin.register(ClientAssignment)
class ClientAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("client", "manager", "valid_from", "valid_to", "source", "created_by")
    list_filter = ("source", "branch")
    search_fields = ("client__crm_code", "client__name", "manager__name", "manager__employee_no")
    list_select_related = ("client", "manager", "created_by")
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
