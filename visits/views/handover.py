"""客户移交 (R-7.5): the leader hands a leaving or moving manager's clients to
one or several colleagues in one go."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from portal.forms import apply_errors
from portal.views import paginate
from staff.models import User
from visits import permissions, selectors
from visits.forms import HandoverForm
from visits.services import transfers as services
from visits.views.util import int_param

MAX_ROWS = 500


def _require(user):
    if not permissions.can_reassign(user):
        raise PermissionDenied("只有团队负责人或营业部领导可以移交客户。")


def handover(request):
    _require(request.user)
    picked = int_param(request.GET, "manager")
    if picked:
        return redirect("visits:handover_form", picked)
    return render(
        request,
        "visits/handover.html",
        {
            "candidates": selectors.handover_candidates(request.user),
            "managers": selectors.managers_in_reach(request.user),
            "recent": selectors.reassignments_for(request.user)[:10],
        },
    )


def handover_form(request, manager_pk: int):
    """One manager's clients, each with a recipient. "全部给" and "平均分给"
    fill the choices in; 确认移交 saves them all at once."""
    user = request.user
    _require(user)
    manager = User.objects.select_related("team").filter(pk=manager_pk).first()
    if manager is None:
        raise Http404
    clients = list(selectors.transferable_clients(user, manager)[:MAX_ROWS])
    if not clients:
        raise Http404
    people = list(selectors.recipients_for(user, manager))
    by_id = {str(p.pk): p for p in people}
    form = HandoverForm(request.POST or None)
    proposal: dict[int, str] = {}
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action == "all":
            target = request.POST.get("all_to", "")
            proposal = {c.pk: target for c in clients} if target in by_id else {}
        elif action == "split":
            chosen = [by_id[p] for p in request.POST.getlist("split_to") if p in by_id]
            split = services.even_split(clients, chosen)
            proposal = {pk: str(u.pk) for pk, u in split.items()}
            if not chosen:
                messages.error(request, "请至少选择一名同事。")
        else:
            proposal = {c.pk: request.POST.get(f"to_{c.pk}", "") for c in clients}
            if action == "save" and form.is_valid():
                moves = {pk: by_id[t] for pk, t in proposal.items() if t in by_id}
                try:
                    batch = services.reassign_clients(
                        actor=user,
                        from_manager=manager,
                        moves=moves,
                        effective_on=form.cleaned_data["effective_on"],
                        reason=form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(
                        request,
                        f"已将{manager.name}的 {batch.client_count} 户客户移交，"
                        f"{batch.followup_count} 项未办结督办事项随同移交。",
                    )
                    return redirect(batch)
    rows = [(c, proposal.get(c.pk, "")) for c in clients]
    return render(
        request,
        "visits/handover_form.html",
        {
            "manager": manager,
            "rows": rows,
            "people": people,
            "form": form,
            "truncated": len(clients) == MAX_ROWS,
            "assigned": sum(1 for _c, t in rows if t),
        },
    )


def reassignment_list(request):
    return render(
        request,
        "visits/reassignment_list.html",
        {"page_obj": paginate(request, selectors.reassignments_for(request.user))},
    )


def reassignment_detail(request, pk: int):
    batch = selectors.reassignment_detail(request.user, pk)
    return render(
        request,
        "visits/reassignment_detail.html",
        {"batch": batch, "lines": list(selectors.reassignment_lines(batch))},
    )
