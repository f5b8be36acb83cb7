from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "客户"

    def ready(self) -> None:
        from clients import selectors
        from clients.permissions import can_view_clients
        from portal.registry import NavSection, SearchSource, register_nav, register_search

        register_nav(
            NavSection(
                code="clients",
                label="客户",
                url_name="clients:client_list",
                order=40,
                icon="person-vcard",
                visible=can_view_clients,
            )
        )
        register_search(
            SearchSource(
                code="clients",
                label="客户",
                find=selectors.search_clients,
                order=20,
                list_url_name="clients:client_list",
            )
        )
