from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from clients import selectors
from clients.filters import ClientFilter
from clients.permissions import can_export_clients
from portal.history import change_log
from portal.jobs import export_response
from portal.registry import client_panels
from portal.views import paginate


def _filtered(request) -> ClientFilter:
    return ClientFilter(
        request.GET or None, queryset=selectors.clients_for(request.user), user=request.user
    )


def client_list(request):
    clients = _filtered(request)
    return render(
        request,
        "clients/client_list.html",
        {
            "filter": clients,
            "page_obj": paginate(request, clients.qs),
            "can_export": can_export_clients(request.user),
        },
    )


def client_detail(request, pk: int):
    client = selectors.client_detail(request.user, pk)
    return render(
        request,
        "clients/client_detail.html",
        {
            "client": client,
            "assignments": selectors.ownership_history(client),
            "change_log": change_log(client),
            "panels": client_panels(request, client),
        },
    )


def client_export_xlsx(request):
    if not can_export_clients(request.user):
        raise PermissionDenied("您没有导出客户名单的权限。")
    return export_response(request, "clients")
