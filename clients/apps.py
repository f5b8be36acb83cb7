from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = "客户"

    def ready(self) -> None:
        from clients.permissions import can_view_clients
        from portal.registry import NavSection, register_nav

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
