"""Admin: everything in the archives is written through the services (a
closed month is read-only, numbers are gapless); shown read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from archives.models import (
    ConfirmationSlip,
    Contract,
    FileDocument,
    MonthArchive,
    PersonnelFile,
    RewardPenalty,
    SlipCounter,
)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonnelFile)
class PersonnelFileAdmin(ReadOnlyAdmin):
    list_display = ("person", "paper_location", "created_at")
    search_fields = ("person__employee_no", "person__name")


@admin.register(FileDocument)
class FileDocumentAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "uploaded_by", "uploaded_at", "verify_result", "replaced_at")
    list_filter = ("kind", "verify_result")
    search_fields = ("person__employee_no", "person__name")


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "starts_on", "ends_on", "signed_on", "terminated_on")
    list_filter = ("kind", "branch")
    search_fields = ("person__employee_no", "person__name", "number")


@admin.register(RewardPenalty)
class RewardPenaltyAdmin(ReadOnlyAdmin):
    list_display = ("person", "date", "kind", "category", "decided_by", "revoked_at")
    list_filter = ("kind", "category")
    search_fields = ("person__employee_no", "person__name")


@admin.register(ConfirmationSlip)
class ConfirmationSlipAdmin(ReadOnlyAdmin):
    list_display = ("number", "client", "manager", "opened_on", "issued_on", "status")
    list_filter = ("status", "branch")
    search_fields = ("number", "client__crm_code", "client__name", "manager__name")


@admin.register(SlipCounter)
class SlipCounterAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    list_display = ("branch", "month", "last")


@admin.register(MonthArchive)
class MonthArchiveAdmin(ReadOnlyAdmin):
    list_display = ("branch", "month", "closed_by", "closed_at", "slip_count", "manager_count")
    list_filter = ("branch",)
