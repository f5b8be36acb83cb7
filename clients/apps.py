from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "客户"

    def ready(self) -> None:
        from clients import selectors
        from clients.exports import client_export
        from clients.permissions import can_view_clients
        from portal.jobs import register_export
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
        register_export("clients", client_export)
        register_search(
            SearchSource(
                code="clients",
                label="客户",
                find=selectors.search_clients,
                order=20,
                list_url_name="clients:client_list",
            )
        )
