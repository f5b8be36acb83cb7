from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "例会"

    def ready(self) -> None:
        from meetings import home

        home.register()
