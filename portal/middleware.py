import time
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.shortcuts import redirect
from django.urls import reverse


class _QueryTimer:
    """Counts and times the queries run while it is installed as an
    ``execute_wrapper``; a few hundred nanoseconds per query."""

    __slots__ = ("count", "seconds")

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


def server_timing(app_seconds: float, timer: _QueryTimer, cpu_seconds: float = 0.0) -> str:
    return (
        f"total;dur={app_seconds * 1000:.1f}, "
        f"cpu;dur={cpu_seconds * 1000:.1f}, "
        f'db;dur={timer.seconds * 1000:.1f};desc="{timer.count} queries"'
    )


class ServerTimingMiddleware:
    """Every response carries a ``Server-Timing`` header (W3C): ``total`` is the
    time spent in Django for the request, ``cpu`` the CPU time the request's
    thread used meanwhile (with SQLite, in-process, this includes the
    database's work; on a shared machine it is the figure that does not grow
    with other processes' load), ``db`` the time spent in queries, with their
    number in ``desc``. Browsers show it in the network panel;
    ``make bench`` reads it. On by default in every setting (it costs a
    timer per query); ``PORTAL_SERVER_TIMING=0`` turns it off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PORTAL_SERVER_TIMING:
            return self.get_response(request)
        timer = _QueryTimer()
        start, cpu_start = time.perf_counter(), time.thread_time()
        with ExitStack() as stack:
            for conn in connections.all():
                stack.enter_context(conn.execute_wrapper(timer))
            response = self.get_response(request)
        response["Server-Timing"] = server_timing(
            time.perf_counter() - start, timer, time.thread_time() - cpu_start
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
