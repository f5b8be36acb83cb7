import time

from django.conf import settings
from django.db import connections
from django.shortcuts import redirect
from django.urls import reverse


class _QueryTimer:
    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


class ServerTimingMiddleware:
    """With PORTAL_SERVER_TIMING=1, every response carries a Server-Timing
    header: ``total`` (whole request) and ``db`` (query time; count in desc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PORTAL_SERVER_TIMING:
            return self.get_response(request)
        timer = _QueryTimer()
        start = time.perf_counter()
        wrappers = [conn.execute_wrapper(timer) for conn in connections.all()]
        for w in wrappers:
            w.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for w in reversed(wrappers):
                w.__exit__(None, None, None)
        total_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f'total;dur={total_ms:.1f}, db;dur={timer.seconds * 1000:.1f};desc="{timer.count}"'
        )
        return response


class ForcePasswordChangeMiddleware:
    """Accounts created with a temporary password must change it first."""

    allowed_names = ("password_change", "password_change_done", "logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in self.allowed_names}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("password_change")
        return self.get_response(request)
