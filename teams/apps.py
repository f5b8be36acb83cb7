from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "团队计划与目标"

    def ready(self) -> None:
        from portal.registry import NavSection, register_nav
        from teams import services  # noqa: F401  -- registers the approval subjects

        register_nav(
            NavSection(
                code="teams",
                label="团队",
                url_name="teams:rules_list",
                order=20,
                icon="flag",
                children=(("管理及薪酬细则", "teams:rules_list", lambda user: True),),
            )
        )
