"""Sessions that end after a period of inactivity without a write on every
request.

``SESSION_SAVE_EVERY_REQUEST`` would extend the expiry on each request, but
it writes the session row every time: a home page fetching ten blocks at
once would write it ten times concurrently. Here the session is touched at
most once per ``PORTAL_SESSION_REFRESH`` seconds, so it expires after
``SESSION_COOKIE_AGE`` of inactivity (give or take the refresh interval)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware

SEEN_KEY = "_seen"


class SlidingSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(SEEN_KEY, 0)) >= settings.PORTAL_SESSION_REFRESH:
                session[SEEN_KEY] = now  # marks it modified: saved with a new expiry
        return super().process_response(request, response)


def mark_seen_at_login(sender, request, user, **kwargs) -> None:
    """Logging in writes the session anyway: start the refresh clock there,
    so the first page after login does not write it a second time."""
    if hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())
