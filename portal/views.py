from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from portal import registry


def paginate(request, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.PORTAL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def home(request):
    """Each user's home page: placeholders for the blocks the apps contribute
    for him; each block loads on its own (see ``home_block``)."""
    blocks = registry.home_blocks_for(request.user)
    return render(request, "portal/home.html", {"blocks": blocks})


def home_block(request, code: str):
    """One home-page block as HTML, or nothing when it has nothing to say."""
    from django.http import Http404, HttpResponse

    block = registry.home_block(code)
    if block is None or not block.admits(request.user):
        raise Http404
    result = block.render(request)
    if not result:
        # An element that takes no room (an empty body is not swapped).
        return HttpResponse(f'<div class="d-none" data-empty-block="{block.code}"></div>')
    return render(request, "portal/home_block.html", {"block": result})


def search(request):
    """One box for people, clients and documents within the user's scope."""
    query = request.GET.get("q", "").strip()[:50]
    groups = registry.search(request.user, query, limit=20) if len(query) >= 1 else []
    return render(
        request,
        "portal/search.html",
        {"search_query": query, "groups": groups, "total": sum(len(g["hits"]) for g in groups)},
    )


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def error_403(request, exception=None):
    # Our own refusals explain themselves in Chinese; anything else (a
    # library's English message) is not shown.
    reason = str(exception or "")
    return render(request, "403.html", {"reason": reason if _chinese(reason) else ""}, status=403)


def csrf_failure(request, reason=""):
    return render(
        request,
        "403.html",
        {"reason": "页面已过期或来源无法确认，请返回上一页刷新后重试。"},
        status=403,
    )


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # Rendered without the request: when the database is down, the context
    # processors (user, navigation) would fail again and the user would get
    # the server's bare English error instead of this page.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def download(request, pk: int):
    """Serves an attachment when its owner is visible to the user; logged."""
    from django.http import FileResponse, Http404

    from portal.exports import log_export
    from portal.models import Attachment, ExportLog

    item = Attachment.objects.select_related("content_type").filter(pk=pk).first()
    if item is None:
        raise Http404
    owner_model = item.content_type.model_class()
    manager = owner_model._default_manager
    if (
        not hasattr(manager, "visible_to")
        or not manager.visible_to(request.user).filter(pk=item.object_id).exists()
    ):
        raise Http404
    log_export(
        user=request.user,
        what=f"附件：{item.original_name}"[:100],
        fmt=ExportLog.Format.FILE,
        filters={"attachment": item.pk},
        rows=1,
    )
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


def client_ip(request) -> str:
    """The client's address for login throttling, seen through the proxies."""
    from django.conf import settings

    hops = settings.PORTAL_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request, credentials=None, *args, **kwargs):
    """Too many wrong passwords: a Chinese page, status 429."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "registration/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def job_list(request):
    """我的后台任务: the user's own exports and imports running in the background."""
    from portal.jobs import jobs_of

    return render(
        request, "portal/job_list.html", {"page_obj": paginate(request, jobs_of(request.user))}
    )


def job_detail(request, pk: int):
    """A job's progress; the page polls itself (htmx) until the job ends."""
    from django.shortcuts import get_object_or_404

    from portal.jobs import jobs_of

    job = get_object_or_404(jobs_of(request.user), pk=pk)
    template = (
        "portal/_job_status.html" if request.headers.get("HX-Request") else "portal/job_detail.html"
    )
    return render(request, template, {"job": job})


def job_download(request, pk: int):
    """The job's file, for the user who started it only."""
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    from portal.jobs import jobs_of
    from portal.models import BackgroundJob

    job = get_object_or_404(jobs_of(request.user), pk=pk, status=BackgroundJob.Status.DONE)
    if not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
