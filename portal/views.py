from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from portal import registry


def paginate(request, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.PORTAL_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def home(request):
    """Each user's home page: the blocks the apps contribute for him."""
    blocks = registry.home_blocks(request)
    return render(request, "portal/home.html", {"blocks": blocks})


def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
