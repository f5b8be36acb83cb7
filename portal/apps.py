from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.sessions import mark_seen_at_login

        user_logged_in.connect(mark_seen_at_login, dispatch_uid="portal-session-seen")
