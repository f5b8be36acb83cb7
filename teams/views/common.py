from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from portal.jobs import export_response
from staff.models import Team
from staff.permissions import holds_any_role


def team_in_scope(user, pk: int) -> Team:
    return get_object_or_404(Team.objects.visible_to(user).select_related("branch"), pk=pk)


def messages_of(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def scoped_export(request, code: str):
    """A list's Excel export (registered as ``code``): rows within the
    user's scope, logged in ExportLog by the shared helper."""
    if not holds_any_role(request.user):
        raise PermissionDenied("您没有导出的权限。")
    return export_response(request, code)
