from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "客户走访"

    def ready(self) -> None:
        from visits import home
        from visits.services import reports, submissions  # noqa: F401  -- register subjects

        home.register()
