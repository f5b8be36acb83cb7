"""Admin: categories are configuration; everything else is written through
the services (the ledger is append-only) and shown read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assets.models import (
    Category,
    Handover,
    HandoverLine,
    Holding,
    Incident,
    Item,
    Movement,
    OutletCustodian,
    StockTake,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "tracking", "unit", "is_active")
    list_filter = ("tracking", "is_active")

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A category's tracking decides how its items are counted.
        return ("code", "tracking") if obj else ()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("asset_no", "name", "category", "team", "custodian", "quantity", "status")
    list_filter = ("status", "category", "branch")
    search_fields = ("asset_no", "name")
    list_select_related = ("category", "team", "custodian")


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ("pk", "occurred_on", "kind", "item", "quantity", "from_holder", "to_holder")
    list_filter = ("kind", "branch")
    search_fields = ("item__asset_no", "item__name")
    list_select_related = ("item", "from_holder", "to_holder")


@admin.register(Holding)
class HoldingAdmin(ReadOnlyAdmin):
    list_display = ("item", "outlet", "holder", "quantity")
    search_fields = ("item__asset_no", "holder__name")
    list_select_related = ("item", "outlet", "holder")


class HandoverLineInline(admin.TabularInline):
    model = HandoverLine
    extra = 0
    can_delete = False
    fields = ("item", "outlet", "expected", "disposition", "counted", "state")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("pk", "person", "reason", "receiver", "team", "status", "opened_at")
    list_filter = ("status", "reason", "branch")
    list_select_related = ("person", "receiver", "team")
    inlines = [HandoverLineInline]


@admin.register(Incident)
class IncidentAdmin(SimpleHistoryAdmin, ReadOnlyAdmin):
    list_display = ("pk", "item", "kind", "responsible", "assessed_amount", "decision", "status")
    list_filter = ("status", "kind", "decision", "branch")
    list_select_related = ("item", "responsible")


@admin.register(StockTake)
class StockTakeAdmin(ReadOnlyAdmin):
    list_display = ("pk", "outlet", "team", "opened_on", "status")
    list_filter = ("status", "branch")
    list_select_related = ("outlet", "team")


@admin.register(OutletCustodian)
class OutletCustodianAdmin(ReadOnlyAdmin):
    list_display = ("team", "outlet", "person", "valid_from", "valid_to")
    list_select_related = ("team", "outlet", "person")
