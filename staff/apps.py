from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "组织与人员"

    def ready(self) -> None:
        from portal.registry import NavSection, register_home_block, register_nav
        from staff import home

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
        register_home_block("my_posts", home.my_posts, order=10)
        register_home_block("calendar_due", home.calendar_due, order=5)
