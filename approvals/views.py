from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from approvals import forms, selectors, services
from approvals.models import Deputy, Notice, Task
from approvals.permissions import can_cc, can_remind, can_resubmit, can_withdraw
from portal.forms import apply_errors
from portal.pdf import pdf_response
from portal.views import paginate


def inbox(request):
    tasks = selectors.inbox(request.user)
    return render(
        request, "approvals/inbox.html", {"page_obj": paginate(request, tasks), "tab": "inbox"}
    )


@require_POST
def batch_approve(request):
    ids = [int(i) for i in request.POST.getlist("task") if i.isdigit()]
    if not ids:
        messages.warning(request, "请先勾选要审批的事项。")
        return redirect("approvals:inbox")
    visible = set(selectors.inbox(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    results = services.batch_approve(
        actor=request.user,
        task_ids=[i for i in ids if i in visible],
        opinion=request.POST.get("opinion", ""),
    )
    done = sum(r.ok for r in results)
    if done:
        messages.success(request, f"已批量同意 {done} 件。")
    for r in results:
        if not r.ok:
            messages.error(request, f"“{r.title}”未办理：{r.message}")
    return redirect("approvals:inbox")


def request_list(request, tab: str):
    sources = {
        "submitted": (selectors.submitted_by, "我发起的"),
        "handled": (selectors.handled_by, "我已办"),
        "copied": (selectors.copied_to, "抄送我的"),
    }
    source, title = sources[tab]
    return render(
        request,
        "approvals/request_list.html",
        {"page_obj": paginate(request, source(request.user)), "tab": tab, "title": title},
    )


def _action_forms(user, req, data=None, bound_task=None, bound_action=None):
    """The forms for each open task the user may act on, bound for the one posted."""
    panels = []
    for task in selectors.open_tasks_for(user, req):

        def bind(action, task=task):
            return data if (task.pk == bound_task and action == bound_action) else None

        panels.append(
            {
                "task": task,
                "approve": forms.ApproveForm(bind("approve"), task=task, prefix=f"a{task.pk}"),
                "reject": forms.RequiredOpinionForm(bind("reject"), prefix=f"r{task.pk}"),
                "return": forms.ReturnForm(bind("return"), task=task, prefix=f"b{task.pk}"),
                "transfer": forms.TransferForm(
                    bind("transfer"),
                    candidates=services.transfer_candidates(task),
                    prefix=f"t{task.pk}",
                ),
                "add": forms.AddSignerForm(bind("add"), prefix=f"s{task.pk}"),
            }
        )
    return panels


def _context(request, req, *, panels=None, extra=None):
    has_task = (
        req.tasks.filter(user=request.user).exists()
        or req.tasks.filter(acted_by=request.user).exists()
    )
    runs = list(selectors.step_runs(req))
    context = {
        "req": req,
        "timeline": selectors.timeline(req),
        "runs": runs,
        "done_steps": {r.step_id for r in runs if r.round == req.round and r.status == "completed"},
        "steps": req.flow.steps.order_by("order"),
        "panels": panels if panels is not None else _action_forms(request.user, req),
        "can_withdraw": can_withdraw(request.user, req),
        "can_resubmit": can_resubmit(request.user, req),
        "can_remind": can_remind(request.user, req),
        "can_cc": can_cc(request.user, req, has_task),
        "comment_form": forms.CommentForm(prefix="c"),
        "cc_form": forms.CcForm(prefix="cc"),
    }
    context.update(extra or {})
    return context


def request_detail(request, pk: int):
    req = selectors.request_detail(request.user, pk)
    return render(request, "approvals/request_detail.html", _context(request, req))


TASK_ACTIONS = {"approve", "reject", "return", "transfer", "add"}


@require_POST
def act(request, pk: int):
    """One endpoint for every action on a request; the service decides."""
    req = selectors.request_detail(request.user, pk)
    action = request.POST.get("action", "")
    user = request.user
    try:
        if action in TASK_ACTIONS:
            task = get_object_or_404(Task, pk=request.POST.get("task"), request=req)
            result = _task_action(request, req, task, action)
            if result is not None:
                return result
        elif action == "withdraw":
            services.withdraw_request(actor=user, request=req)
            messages.success(request, "已撤回。")
        elif action == "resubmit":
            services.resubmit_request(
                actor=user, request=req, opinion=request.POST.get("opinion", "")
            )
            messages.success(request, "已重新提交。")
        elif action == "remind":
            sent = services.remind_request(actor=user, request=req)
            messages.success(request, f"已催办，提醒了 {len(sent)} 人。")
        elif action == "comment":
            form = forms.CommentForm(request.POST, prefix="c")
            if not form.is_valid():
                return _rerender(request, req, {"comment_form": form})
            services.comment_request(actor=user, request=req, opinion=form.cleaned_data["opinion"])
            messages.success(request, "评论已发表。")
        elif action == "cc":
            form = forms.CcForm(request.POST, prefix="cc")
            if not form.is_valid():
                return _rerender(request, req, {"cc_form": form})
            services.cc_request(
                actor=user,
                request=req,
                users=form.cleaned_data["users"],
                opinion=form.cleaned_data["opinion"],
            )
            messages.success(request, "已抄送。")
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(req.get_absolute_url())


def _rerender(request, req, extra):
    return render(
        request, "approvals/request_detail.html", _context(request, req, extra=extra), status=400
    )


def _task_action(request, req, task, action):
    panels = _action_forms(request.user, req, request.POST, task.pk, action)
    panel = next((p for p in panels if p["task"].pk == task.pk), None)
    if panel is None:
        # Not (or no longer) his to act on: say why, in Chinese.
        from approvals.permissions import why_cannot_act

        raise ValidationError(why_cannot_act(request.user, task, req) or "您不能办理该任务。")
    form = panel[action]
    if not form.is_valid():
        return render(
            request,
            "approvals/request_detail.html",
            _context(request, req, panels=panels),
            status=400,
        )
    data = form.cleaned_data
    try:
        if action == "approve":
            services.approve_task(
                actor=request.user,
                task=task,
                opinion=data["opinion"],
                departments=data.get("departments", ()),
                users=data.get("users", ()),
            )
            messages.success(request, "已同意。")
        elif action == "reject":
            services.reject_task(actor=request.user, task=task, opinion=data["opinion"])
            messages.success(request, "已退回申请人。")
        elif action == "return":
            services.return_task(
                actor=request.user, task=task, to_step=data["to_step"], opinion=data["opinion"]
            )
            messages.success(request, f"已退回至“{data['to_step'].name}”。")
        elif action == "transfer":
            services.transfer_task(
                actor=request.user, task=task, to_user=data["to_user"], opinion=data["opinion"]
            )
            messages.success(request, f"已转交给{data['to_user'].name}。")
        elif action == "add":
            services.add_signer(
                actor=request.user,
                task=task,
                user=data["user"],
                before=data["position"] == "before",
                opinion=data["opinion"],
            )
            messages.success(request, f"已加签{data['user'].name}。")
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            apply_errors(form, exc)
            return render(
                request,
                "approvals/request_detail.html",
                _context(request, req, panels=panels),
                status=400,
            )
        raise
    return None


def countersign_pdf(request, pk: int):
    req = selectors.request_detail(request.user, pk)
    return pdf_response(
        request,
        template="approvals/pdf/countersign.html",
        context={
            "req": req,
            "rows": selectors.countersign_rows(req),
            "heading": selectors.countersign_heading(req),
            "resubmitted_at": selectors.last_resubmitted_at(req),
            "pdf_title": "会签单",
        },
        what="会签单",
        filename=f"会签单_{req.pk}.pdf",
        rows=1,
        filters={"request": req.pk},
    )


def notices(request):
    page = paginate(request, selectors.notices_for(request.user))
    return render(request, "approvals/notices.html", {"page_obj": page})


@require_POST
def notices_read(request):
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("approvals:notices")


def notice_open(request, pk: int):
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return redirect(notice.url or "approvals:notices")


def deputies(request):
    form = forms.DeputyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_deputy(
                actor=request.user,
                principal=request.user,
                deputy=form.cleaned_data["deputy"],
                valid_from=form.cleaned_data["valid_from"],
                valid_to=form.valid_to,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "代理人已设置。")
            return redirect("approvals:deputies")
    items = (
        Deputy.objects.filter(principal=request.user)
        .select_related("deputy")
        .order_by("-valid_from")
    )
    acting = (
        Deputy.objects.filter(deputy=request.user)
        .select_related("principal")
        .order_by("-valid_from")
    )
    return render(
        request,
        "approvals/deputies.html",
        {"form": form, "items": items, "acting": acting, "today": timezone.localdate()},
    )


@require_POST
def deputy_end(request, pk: int):
    item = get_object_or_404(Deputy, pk=pk, principal=request.user)
    try:
        services.end_deputy(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "代理已结束。")
    return redirect("approvals:deputies")
