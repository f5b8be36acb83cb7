from django.urls import reverse

from portal import registry


def navigation(request):
    """The navigation bar lists only the sections the user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    path = request.path
    for section in registry.nav_sections():
        if not section.visible(user):
            continue
        url = reverse(section.url_name)
        children = [
            {"label": label, "url": reverse(name)}
            for label, name, visible in section.children
            if visible(user)
        ]
        prefixes = [url] + [c["url"] for c in children]
        items.append(
            {
                "code": section.code,
                "label": section.label,
                "icon": section.icon,
                "url": url,
                "children": children,
                "active": any(path.startswith(p) for p in prefixes if p != "/"),
            }
        )
    return {
        "nav_items": items,
        "todo_count": registry.todo_count(user),
        "todo_url": reverse(registry.todo_url_name()),
    }
