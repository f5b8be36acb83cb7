"""网点实物保管人 (R-4.2): the client manager who keeps a team's shared
assets at the outlet he serves. A dated assignment like every other."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assets.models import OutletCustodian
from assets.permissions import keeps
from staff.models import Outlet, Team, User


@transaction.atomic
def set_outlet_custodian(
    *, actor: User, team: Team, outlet: Outlet, person: User, on: dt.date | None = None
) -> OutletCustodian:
    if not keeps(actor, team):
        raise ValidationError("只有本团队的实物管理员或团队负责人可以指定网点保管人。")
    on = on or timezone.localdate()
    if outlet.branch_id != team.branch_id:
        raise ValidationError({"outlet": f"网点“{outlet}”不属于“{team.branch}”。"})
    if person.team_id != team.pk or person.status not in (
        User.Status.ACTIVE,
        User.Status.ONBOARDING,
    ):
        raise ValidationError({"person": f"{person.name} 不是本团队在岗人员。"})
    Team.objects.select_for_update().get(pk=team.pk)
    current = OutletCustodian.objects.filter(
        team=team, outlet=outlet, valid_to__isnull=True
    ).first()
    if current is not None:
        if current.person_id == person.pk:
            raise ValidationError({"person": f"{person.name} 已是该网点的保管人。"})
        if on < current.valid_from:
            raise ValidationError(
                {"on": f"生效日期不能早于现任保管人的起始日 {current.valid_from}。"}
            )
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    row = OutletCustodian(team=team, outlet=outlet, person=person, valid_from=on, created_by=actor)
    row.full_clean(exclude=["team", "outlet", "person", "created_by"])
    row.save()
    return row
