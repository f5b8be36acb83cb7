from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = "考勤"

    def ready(self) -> None:
        from attendance import home
        from attendance.services import leave  # noqa: F401  -- registers the approval subject

        home.register()
