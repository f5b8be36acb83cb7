from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from django.contrib import admin

        from staff.access import admin_site_allowed

        # The admin is for superusers and HQ system administrators only.
        admin.site.has_permission = admin_site_allowed
        from portal.registry import (
            NavSection,
            SearchSource,
            register_home_block,
            register_nav,
            register_search,
        )
        from staff import home, selectors
        from staff.permissions import can_manage_calendar

        register_nav(
            NavSection(
                code="staff",
                label="人员",
                url_name="staff:user_list",
                order=80,
                icon="people",
                children=(("组织架构", "staff:org_chart", lambda user: True),),
            )
        )
        register_home_block("my_posts", home.my_posts, order=90)
        register_home_block(
            "calendar_due", home.calendar_due, order=5, audience=can_manage_calendar
        )
        register_search(
            SearchSource(
                code="people",
                label="人员",
                find=selectors.search_people,
                order=10,
                list_url_name="staff:user_list",
            )
        )
