"""Admin pages for the organisation, in Chinese, writing through services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from portal.forms import apply_errors
from staff import services
from staff.forms import CalendarYearForm, PostingChangeForm
from staff.models import (
    Branch,
    CalendarDay,
    CalendarYear,
    Department,
    Group,
    Level,
    Outlet,
    PartnerBank,
    Posting,
    RoleAssignment,
    Team,
    User,
)

admin.site.site_header = "客户经理工作平台 · 管理后台"
admin.site.site_title = "客户经理工作平台"
admin.site.index_title = "系统管理"


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "address", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "countersigns", "is_active")
    list_filter = ("countersigns", "is_active")
    search_fields = ("code", "name")


@admin.register(PartnerBank)
class PartnerBankAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")


@admin.register(Outlet)
class OutletAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "branch",
        "partner_bank",
        "work_start",
        "work_end",
        "regional_manager",
    )
    list_filter = ("branch", "partner_bank", "is_active")
    search_fields = ("code", "name", "address")
    autocomplete_fields = ("regional_manager",)
    list_select_related = ("branch", "partner_bank", "regional_manager")


class GroupInline(admin.TabularInline):
    model = Group
    extra = 0


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "branch", "kind", "status", "founded_on")
    list_filter = ("branch", "kind", "status")
    search_fields = ("code", "name")
    inlines = [GroupInline]
    list_select_related = ("branch",)

    actions = ["dissolve"]

    @admin.action(description="撤销所选团队")
    def dissolve(self, request, queryset):
        for team in queryset:
            try:
                services.set_team_status(
                    actor=request.user,
                    team=team,
                    status=Team.Status.DISSOLVED,
                    on=timezone.localdate(),
                    reason="管理后台撤销",
                )
            except ValidationError as exc:
                messages.error(request, f"{team}：{'；'.join(exc.messages)}")
            else:
                messages.success(request, f"{team} 已撤销。")

    def get_readonly_fields(self, request, obj=None):
        # A new team is entered as 筹建中 (or as it already stands); after
        # that its status moves only through services.set_team_status — a
        # preparing team starts when its first-year plan is approved.
        if obj is None:
            return ()
        return ("status", "founded_on", "dissolved_on")


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "team", "is_active")
    list_filter = ("team__branch", "is_active")
    search_fields = ("name", "team__name")
    list_select_related = ("team",)


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("rank", "code", "name", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name")
    ordering = ("rank",)


class PersonCreationForm(forms.ModelForm):
    temporary_password = forms.CharField(
        label="临时密码",
        min_length=8,
        widget=forms.PasswordInput(render_value=False),
        help_text="首次登录时须修改。",
    )

    class Meta:
        model = User
        fields = (
            "employee_no",
            "name",
            "title",
            "branch",
            "department",
            "team",
            "group",
            "outlet",
            "level",
            "employment_type",
            "hired_on",
            "phone",
        )


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    add_form = PersonCreationForm
    list_display = (
        "employee_no",
        "name",
        "branch",
        "team",
        "group",
        "level",
        "status",
        "is_active",
    )
    list_filter = ("status", "employment_type", "branch", "level", "is_staff", "is_superuser")
    search_fields = ("employee_no", "name", "phone")
    ordering = ("employee_no",)
    list_select_related = ("branch", "team", "group", "level")
    readonly_fields = (
        "branch",
        "department",
        "team",
        "group",
        "outlet",
        "level",
        "status",
        "hired_on",
        "left_on",
        "last_login",
        "date_joined",
        "posting_link",
    )
    fieldsets = (
        (None, {"fields": ("employee_no", "password", "must_change_password")}),
        (
            "个人资料",
            {
                "fields": (
                    "name",
                    "title",
                    "phone",
                    "email",
                    "id_number",
                    "bank_account",
                    "bank_name",
                    "sac_no",
                    "sac_expires_on",
                    "employment_type",
                )
            },
        ),
        (
            "任职（通过“调动”修改）",
            {
                "fields": (
                    "posting_link",
                    "branch",
                    "department",
                    "team",
                    "group",
                    "outlet",
                    "level",
                    "status",
                    "hired_on",
                    "left_on",
                )
            },
        ),
        (
            "权限",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("时间", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (*PersonCreationForm.Meta.fields, "temporary_password"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description="调动")
    def posting_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:staff_user_posting", args=[obj.pk])
        return format_html('<a class="button" href="{}">调动（团队/小组/网点/级别）</a>', url)

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        person = services.create_person(
            actor=request.user,
            temporary_password=data.pop("temporary_password"),
            **{k: v for k, v in data.items() if k in PersonCreationForm.Meta.fields},
        )
        obj.pk = person.pk
        obj._state.adding = False
        obj._state.db = person._state.db

    def get_urls(self):
        return [
            path(
                "<int:pk>/posting/",
                self.admin_site.admin_view(self.posting_view),
                name="staff_user_posting",
            ),
            *super().get_urls(),
        ]

    def posting_view(self, request, pk: int):
        person = get_object_or_404(User, pk=pk)
        if not self.has_change_permission(request, person):
            raise PermissionError
        form = PostingChangeForm(request.POST or None, person=person)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            effective_on, reason = data.pop("effective_on"), data.pop("reason")
            try:
                services.change_posting(
                    actor=request.user,
                    user=person,
                    effective_on=effective_on,
                    reason=reason,
                    **data,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{person.name} 的任职已调整，{effective_on} 起生效。")
                return redirect("admin:staff_user_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"调动：{person}",
            "form": form,
            "person": person,
            "opts": self.model._meta,
        }
        return render(request, "admin/staff/posting_change.html", context)


@admin.register(Posting)
class PostingAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "valid_from",
        "valid_to",
        "team",
        "group",
        "outlet",
        "level",
        "reason",
        "created_by",
    )
    list_filter = ("branch", "level")
    search_fields = ("user__employee_no", "user__name", "reason")
    list_select_related = ("user", "team", "group", "outlet", "level", "created_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = (
            "user",
            "role",
            "branch",
            "team",
            "group",
            "department",
            "valid_from",
            "valid_to",
            "note",
        )


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "role", "unit_label", "valid_from", "valid_to", "created_by")
    list_filter = ("role", "branch", "department")
    search_fields = ("user__employee_no", "user__name")
    autocomplete_fields = ("user",)
    list_select_related = ("user", "branch", "team", "group__team", "department", "created_by")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("user", "role", "branch", "team", "group", "department", "valid_from")

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.assign_role(actor=request.user, **data)
        obj.pk = created.pk
        obj._state.adding = False
        obj._state.db = created._state.db

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Enter or correct a year's official schedule (R-2.9)."""

    form = CalendarYearForm
    list_display = ("year", "source", "entered_by", "entered_at", "holiday_days", "note")
    list_filter = ("source",)
    search_fields = ("year", "note")
    fields = ("year", "holidays", "workdays", "note")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("year",)

    def get_changeform_initial_data(self, request):
        return {"year": timezone.localdate().year + 1}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            days = CalendarDay.objects.filter(date__year=obj.year)
            form.base_fields["holidays"].initial = "\n".join(
                f"{d.date} {d.name}" for d in days if d.kind == CalendarDay.Kind.HOLIDAY
            )
            form.base_fields["workdays"].initial = "\n".join(
                f"{d.date} {d.name}" for d in days if d.kind == CalendarDay.Kind.WORKDAY
            )
        return form

    @admin.display(description="放假天数")
    def holiday_days(self, obj):
        return CalendarDay.objects.filter(
            date__year=obj.year, kind=CalendarDay.Kind.HOLIDAY
        ).count()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.set_calendar_year(
            actor=request.user,
            year=obj.year,
            holidays=data["holidays"],
            workdays=data["workdays"],
            note=data.get("note", ""),
        )
        obj.pk = saved.pk
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        """The days were written by the service."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
