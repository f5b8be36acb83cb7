"""Flows are data: editable here. A flow version that has requests is
read-only; "复制为新版本" makes the next version to edit."""

from django.contrib import admin, messages
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from approvals.models import Action, Deputy, Flow, FlowStep, Notice, Request


class FlowStepFormSet(BaseInlineFormSet):
    """How the steps fit together: a step that names the next step's
    participants must be followed by a "chosen at run time" step, and such a
    step needs a previous step that names them."""

    def clean(self):
        super().clean()
        forms = [
            f
            for f in self.forms
            if (f.has_changed() or f.instance.pk)
            and not self._should_delete_form(f)
            and f.cleaned_data.get("order") is not None
        ]
        forms.sort(key=lambda f: f.cleaned_data["order"])
        for index, form in enumerate(forms):
            data = form.cleaned_data
            following = forms[index + 1].cleaned_data if index + 1 < len(forms) else None
            previous = forms[index - 1].cleaned_data if index > 0 else None
            if data.get("choice_kind") and (
                following is None or following.get("rule") != FlowStep.Rule.CHOSEN
            ):
                form.add_error(
                    "choice_kind",
                    "下一步的参与人规则须为“由上一步审批人指定”，否则本步不能指定下一步参与人。",
                )
            if data.get("rule") == FlowStep.Rule.CHOSEN:
                if previous is None:
                    form.add_error(
                        "rule", "本步没有上一步，无人为它指定参与人，不能“由上一步审批人指定”。"
                    )
                elif not previous.get("choice_kind"):
                    form.add_error(
                        "rule",
                        "上一步须设置“下一步参与人由本步指定”，本步才能“由上一步审批人指定”。",
                    )
            if data.get("rule") == FlowStep.Rule.DEPARTMENTS and not data.get("departments"):
                form.add_error("departments", "参与人规则为“总部部门”时，须至少选择一个部门。")


class FlowStepInline(admin.StackedInline):
    model = FlowStep
    formset = FlowStepFormSet
    extra = 0
    filter_horizontal = ("departments",)
    autocomplete_fields = ("person",)
    fields = (
        ("order", "name", "action_label"),
        ("mode", "rule", "role"),
        "departments",
        "person",
        ("choice_kind", "four_eyes"),
    )

    def _used(self, obj) -> bool:
        return obj is not None and obj.requests.exists()

    def has_add_permission(self, request, obj=None):
        return not self._used(obj)

    def has_change_permission(self, request, obj=None):
        return not self._used(obj)

    def has_delete_permission(self, request, obj=None):
        return not self._used(obj)


@admin.register(Flow)
class FlowAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "version", "is_active", "step_count", "created_at")
    list_filter = ("is_active", "code")
    search_fields = ("code", "name")
    inlines = [FlowStepInline]
    actions = ["copy_as_new_version"]

    @admin.display(description="步骤数")
    def step_count(self, obj):
        return obj.steps.count()

    def has_change_permission(self, request, obj=None):
        # A version with requests is read-only: the change view shows it
        # and refuses a POST; "复制为新版本" (a changelist action) still works.
        if obj is not None and obj.requests.exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.requests.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="复制为新版本（原版本停用，进行中的审批仍按原版本办理）")
    def copy_as_new_version(self, request, queryset):
        for flow in queryset:
            with transaction.atomic():
                latest = Flow.objects.filter(code=flow.code).order_by("-version").first()
                new = Flow.objects.create(
                    code=flow.code,
                    name=flow.name,
                    version=latest.version + 1,
                    description=flow.description,
                )
                for step in flow.steps.order_by("order"):
                    departments = list(step.departments.all())
                    step.pk = None
                    step.flow = new
                    step.save()
                    step.departments.set(departments)
                Flow.objects.filter(code=flow.code).exclude(pk=new.pk).update(is_active=False)
            messages.success(request, f"已生成“{new}”，请修改后使用。")


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("title", "flow", "state", "submitter", "branch", "submitted_at")
    list_filter = ("state", "flow__code", "branch")
    search_fields = ("title", "submitter__name", "submitter__employee_no")
    list_select_related = ("flow", "submitter", "branch")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "request", "kind", "actor", "on_behalf_of", "department")
    list_filter = ("kind",)
    search_fields = ("request__title", "actor__name")
    list_select_related = ("request", "actor", "on_behalf_of", "department")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Deputy)
class DeputyAdmin(admin.ModelAdmin):
    list_display = ("principal", "deputy", "valid_from", "valid_to", "source", "reason")
    search_fields = ("principal__name", "deputy__name")
    list_filter = ("source",)
    list_select_related = ("principal", "deputy")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "title", "read_at")
    search_fields = ("user__name", "title")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
