"""Plug-in points the base layer offers to the chapter apps.

The base apps never import a chapter app (DESIGN: layers). Instead each app
registers, in its ``AppConfig.ready()``, the navigation sections, to-do
counters and home-page blocks it contributes; the portal only iterates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavSection:
    code: str
    label: str
    url_name: str
    order: int = 100
    icon: str = ""
    visible: Callable[[Any], bool] = field(default=lambda user: True)
    # Extra links shown in a dropdown: (label, url_name, visible predicate).
    children: tuple[tuple[str, str, Callable[[Any], bool]], ...] = ()


_nav: dict[str, NavSection] = {}
_todo_counters: dict[str, Callable[[Any], int]] = {}


def register_nav(section: NavSection) -> None:
    _nav[section.code] = section


def nav_sections() -> list[NavSection]:
    return sorted(_nav.values(), key=lambda s: (s.order, s.code))


def register_todo_counter(code: str, counter: Callable[[Any], int]) -> None:
    """A counter adds to the to-do badge in the navigation bar."""
    _todo_counters[code] = counter


def todo_count(user: Any) -> int:
    return sum(counter(user) for counter in _todo_counters.values())


# Home-page blocks: each returns a dict (code, title, template,
# link, link_label, wide, and its own context) or None when it has nothing
# for this user. The home page lists the blocks whose ``audience`` predicate
# (cheap: roles, the user's own fields) admits the user, and each block is
# then fetched on its own (``/home/<code>/``), so the page stays fast however
# many chapters contribute and one slow block holds nothing else up.
@dataclass(frozen=True)
class HomeBlock:
    code: str
    render: Callable[[Any], dict | None]
    order: int = 100
    audience: Callable[[Any], bool] | None = None

    def admits(self, user: Any) -> bool:
        return self.audience is None or bool(self.audience(user))


_home_blocks: dict[str, HomeBlock] = {}


def register_home_block(
    code: str,
    block: Callable[[Any], dict | None],
    order: int = 100,
    audience: Callable[[Any], bool] | None = None,
) -> None:
    _home_blocks[code] = HomeBlock(code=code, render=block, order=order, audience=audience)


def home_blocks_for(user: Any) -> list[HomeBlock]:
    """The blocks a user's home page asks for, in order."""
    blocks = sorted(_home_blocks.values(), key=lambda b: (b.order, b.code))
    return [b for b in blocks if b.admits(user)]


def home_block(code: str) -> HomeBlock | None:
    return _home_blocks.get(code)


def home_blocks(request: Any) -> list[dict]:
    """Every block rendered at once (for tests and the e-mail digest)."""
    out = []
    for block in home_blocks_for(request.user):
        result = block.render(request)
        if result:
            out.append(result)
    return out


_todo_url_name = "home"


def set_todo_url(url_name: str) -> None:
    global _todo_url_name
    _todo_url_name = url_name


def todo_url_name() -> str:
    return _todo_url_name


# Sections a chapter app adds to a person's page (training history,
# personnel file, assets held …). Each returns a dict with ``title`` and
# ``template`` (rendered with ``panel`` and ``person``) or None.
_person_panels: dict[str, tuple[int, Callable[[Any, Any], dict | None]]] = {}


def register_person_panel(
    code: str, panel: Callable[[Any, Any], dict | None], order: int = 100
) -> None:
    _person_panels[code] = (order, panel)


def _render_panels(registry: dict, request: Any, obj: Any) -> list[dict]:
    out = []
    for _order, panel in sorted(registry.values(), key=lambda item: item[0]):
        result = panel(request, obj)
        if result:
            out.append(result)
    return out


def person_panels(request: Any, person: Any) -> list[dict]:
    return _render_panels(_person_panels, request, person)


# Sections a chapter app adds to a client's page (visits, follow-ups,
# confirmation slips …); same contract as person panels, rendered with
# ``panel`` and ``client``.
_client_panels: dict[str, tuple[int, Callable[[Any, Any], dict | None]]] = {}


def register_client_panel(
    code: str, panel: Callable[[Any, Any], dict | None], order: int = 100
) -> None:
    _client_panels[code] = (order, panel)


def client_panels(request: Any, client: Any) -> list[dict]:
    return _render_panels(_client_panels, request, client)


# Figures other chapters add to a team's progress page and analysis-report
# drafts (attendance, meetings, visits …, R-1.5 with ). Each returns
# ``{"code", "title", "rows": [{"label", "value", "note"}]}`` with plain
# strings (the draft stores them as JSON) or None. ``person`` narrows the
# figures to one member where the chapter can.
_team_figures: dict[str, tuple[int, Callable[..., dict | None]]] = {}


def register_team_figures(code: str, provider: Callable[..., dict | None], order: int = 100):
    _team_figures[code] = (order, provider)


def team_figures(team: Any, start: Any, end: Any, person: Any = None) -> list[dict]:
    out = []
    for _order, provider in sorted(_team_figures.values(), key=lambda item: item[0]):
        result = provider(team, start, end, person=person)
        if result:
            out.append(result)
    return out


@dataclass(frozen=True)
class Reminder:
    """Something due that ``manage.py send_reminders`` tells ``users`` about.
    ``key`` makes it idempotent: a user who was already told with the same
    key is not told again."""

    users: tuple
    title: str
    key: str
    body: str = ""
    url: str = ""


# Reminder sources: each is called with today's date and yields Reminders.
_reminders: dict[str, Callable[[Any], Any]] = {}


def register_reminder(code: str, source: Callable[[Any], Any]) -> None:
    _reminders[code] = source


def reminder_sources() -> dict[str, Callable[[Any], Any]]:
    return dict(sorted(_reminders.items()))


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class SearchSource:
    code: str
    label: str
    # (user, query, limit) -> hits within the user's scope, best first.
    find: Callable[[Any, str, int], list[SearchHit]]
    order: int = 100
    # A list page whose filter takes ``?q=``, for "more results".
    list_url_name: str = ""


# The navigation bar's search box: people, clients, documents.
_search: dict[str, SearchSource] = {}


def register_search(source: SearchSource) -> None:
    _search[source.code] = source


def search(user: Any, query: str, limit: int = 8) -> list[dict]:
    out = []
    for source in sorted(_search.values(), key=lambda s: (s.order, s.code)):
        hits = source.find(user, query, limit + 1)
        if hits:
            out.append(
                {
                    "code": source.code,
                    "label": source.label,
                    "hits": hits[:limit],
                    "more": len(hits) > limit,
                    "list_url_name": source.list_url_name,
                }
            )
    return out


# How the portal tells a user something (approvals.notify sets it): the
# base layer cannot import the approvals app, which owns the notices.
_notifier: list[Callable[..., Any]] = []


def set_notifier(fn: Callable[..., Any]) -> None:
    _notifier[:] = [fn]


def notify_users(users, *, title: str, body: str = "", url: str = "", dedup_key: str = ""):
    if _notifier:
        return _notifier[0](users, title=title, body=body, url=url, dedup_key=dedup_key)
    return []
