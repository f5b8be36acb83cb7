from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "审批与会签"

    def ready(self) -> None:
        from approvals import selectors
        from approvals.notify import notify
        from portal.registry import set_notifier

        set_notifier(notify)
        from portal.registry import (
            NavSection,
            SearchSource,
            register_nav,
            register_search,
            register_todo_counter,
            set_todo_url,
        )

        def everyone(user) -> bool:
            return True

        register_nav(
            NavSection(
                code="approvals",
                label="审批",
                url_name="approvals:inbox",
                order=10,
                icon="check2-square",
                children=(
                    ("我发起的", "approvals:submitted", everyone),
                    ("我已办", "approvals:handled", everyone),
                    ("抄送我的", "approvals:copied", everyone),
                    ("消息", "approvals:notices", everyone),
                    ("审批代理人", "approvals:deputies", everyone),
                ),
            )
        )
        register_todo_counter("approvals", selectors.inbox_count)
        set_todo_url("approvals:inbox")
        register_search(
            SearchSource(
                code="requests", label="审批单据", find=selectors.search_requests, order=30
            )
        )
        from approvals import home

        home.register()
