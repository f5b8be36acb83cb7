from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "团队计划与目标"

    def ready(self) -> None:
        from portal.jobs import register_export
        from portal.registry import NavSection, register_nav
        from staff.access import BRANCH_ROLES, TEAM_DUTIES, scope_for
        from staff.models import Role
        from teams import services  # noqa: F401  -- registers the approval subjects
        from teams.exports import LIST_EXPORTS, list_export

        for code in LIST_EXPORTS:
            register_export(code, list_export(code))

        def everyone(user) -> bool:
            return True

        def in_a_team(user) -> bool:
            return bool(user.team_id)

        def leader(user) -> bool:
            scope = scope_for(user)
            return scope.superuser or bool(
                scope.ids(*TEAM_DUTIES, *BRANCH_ROLES, Role.GROUP_LEADER)
            )

        register_nav(
            NavSection(
                code="teams",
                label="团队",
                url_name="teams:team_list",
                order=20,
                icon="flag",
                children=(
                    ("报备文件", "teams:filing_list", everyone),
                    (
                        "工作日志",
                        "teams:worklog_list",
                        lambda user: in_a_team(user) or leader(user),
                    ),
                    ("日志抽查", "teams:spotcheck_list", leader),
                    ("业务分析报告", "teams:report_list", everyone),
                    ("一对一谈话", "teams:notes", lambda user: in_a_team(user) or leader(user)),
                ),
            )
        )
        from teams import home

        home.register()
