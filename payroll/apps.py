from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = "业绩与薪酬"

    def ready(self) -> None:
        from payroll import services  # noqa: F401  -- registers the approval subject and the import guard
        from payroll.permissions import PAY_VIEW_ROLES
        from payroll.views.crm import CRM_IMPORT_JOB, run_crm_import
        from portal.jobs import register_job
        from portal.registry import NavSection, register_nav
        from staff.access import scope_for
        from staff.models import Role

        register_job(CRM_IMPORT_JOB, run_crm_import)

        def pay_viewer(user) -> bool:
            scope = scope_for(user)
            return scope.superuser or bool(scope.ids(*PAY_VIEW_ROLES))

        def finance(user) -> bool:
            scope = scope_for(user)
            return scope.superuser or bool(scope.ids(Role.FINANCE, Role.CHIEF_ACCOUNTANT))

        def leader(user) -> bool:
            scope = scope_for(user)
            return scope.superuser or bool(scope.ids(Role.TEAM_LEADER))

        def hq(user) -> bool:
            return scope_for(user).hq

        def has_team(user) -> bool:
            return bool(user.team_id)

        register_nav(
            NavSection(
                code="payroll",
                label="薪酬",
                url_name="payroll:my_payslips",
                order=60,
                icon="cash-coin",
                visible=lambda user: pay_viewer(user) or leader(user) or has_team(user) or hq(user),
                children=(
                    ("月度薪酬", "payroll:home", pay_viewer),
                    ("薪酬月报表", "payroll:sheet_list", lambda user: pay_viewer(user) or hq(user)),
                    ("CRM 数据导入", "payroll:crm_list", pay_viewer),
                    ("薪酬标准", "payroll:standard_list", pay_viewer),
                    ("计税信息录入", "payroll:inputs", finance),
                    ("岗位职责考核", "payroll:duty", leader),
                    ("级别考核", "payroll:review_list", pay_viewer),
                ),
            )
        )
        from payroll import home

        home.register()
