from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "archives"
    verbose_name = "档案"

    def ready(self) -> None:
        from archives import home, permissions, reminders
        from archives.selectors import search
        from archives.services import contracts, files
        from portal.registry import (
            NavSection,
            SearchSource,
            register_client_panel,
            register_home_block,
            register_nav,
            register_person_panel,
            register_reminder,
            register_search,
        )
        from staff.services import register_status_guard, register_status_listener

        register_nav(
            NavSection(
                code="archives",
                label="档案",
                url_name="archives:file_list",
                order=70,
                icon="archive",
                visible=permissions.uses_archives,
                children=(
                    ("档案完整性", "archives:completeness", permissions.oversees_files),
                    ("合同与协议", "archives:contract_list", permissions.oversees_files),
                    ("到期提醒", "archives:expiry", permissions.oversees_files),
                    ("客户确认单", "archives:slip_list", permissions.uses_slips),
                    ("空号与作废", "archives:slip_report", permissions.uses_monthly_archive),
                    ("月度归档", "archives:month_list", permissions.uses_monthly_archive),
                    ("档案检索", "archives:search", permissions.uses_monthly_archive),
                ),
            )
        )
        # A person stays onboarding until his file is complete and checked.
        register_status_guard(files.status_guard)
        register_status_listener(contracts.on_status_changed)
        register_home_block("archives", home.alerts_block, order=50, audience=home.leads_files)
        register_home_block("archives_own", home.own_block, order=52, audience=home.has_a_place)
        register_reminder("contracts_ending", reminders.contracts_ending)
        register_reminder("sac_expiring", reminders.sac_expiring)
        for source in (
            SearchSource(
                code="archives_files",
                label="人员档案",
                find=search.search_files,
                order=60,
                list_url_name="archives:file_list",
            ),
            SearchSource(
                code="archives_contracts",
                label="合同与协议",
                find=search.search_contracts,
                order=62,
                list_url_name="archives:contract_list",
            ),
            SearchSource(
                code="archives_slips",
                label="客户确认单",
                find=search.search_slips,
                order=64,
                list_url_name="archives:slip_list",
            ),
        ):
            register_search(source)
        register_person_panel("archives", home.person_panel, order=20)
        register_client_panel("archives_slips", home.client_panel, order=30)
