from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "assets"
    verbose_name = "实物管理"

    def ready(self) -> None:
        from assets import home, permissions, selectors
        from assets.services import (
            handover,
            incidents,  # noqa: F401  -- registers the approval subject
        )
        from portal.registry import (
            NavSection,
            SearchSource,
            register_home_block,
            register_nav,
            register_person_panel,
            register_search,
            register_todo_counter,
        )
        from staff.services import (
            register_posting_listener,
            register_status_guard,
            register_status_listener,
        )

        register_nav(
            NavSection(
                code="assets",
                label="实物",
                url_name="assets:item_list",
                order=50,
                icon="pc-display",
                visible=permissions.uses_assets,
                children=(
                    ("出入库流水", "assets:ledger", lambda user: True),
                    ("实物交接", "assets:handover_list", lambda user: True),
                    ("损失事件", "assets:incident_list", lambda user: True),
                    ("盘点", "assets:stocktake_list", permissions.can_print_labels),
                    ("网点保管人", "assets:custodian_list", permissions.can_print_labels),
                ),
            )
        )
        # Handover on staff change and no departure while holding.
        register_posting_listener(handover.on_posting_changed)
        register_status_listener(handover.on_status_changed)
        register_status_guard(handover.status_guard)
        register_person_panel("assets", home.person_panel, order=40)
        register_home_block("assets", home.home_block, order=40, audience=permissions.uses_assets)
        register_todo_counter("assets_handover", home.todo_count)
        register_search(
            SearchSource(
                code="assets",
                label="实物",
                find=selectors.search_items,
                order=60,
                list_url_name="assets:item_list",
            )
        )
