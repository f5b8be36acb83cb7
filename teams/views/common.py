from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from staff.models import Team


def team_in_scope(user, pk: int) -> Team:
    return get_object_or_404(Team.objects.visible_to(user).select_related("branch"), pk=pk)


def messages_of(exc: ValidationError) -> str:
    return "；".join(exc.messages)
