"""The home page as a browser sees it once its blocks have loaded: the page
lists a placeholder per block and each block is fetched on its own."""

import re

_SLOT = re.compile(r'hx-get="(/home/[\w-]+/)"')


def home_html(client) -> str:
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    parts = [html]
    for url in _SLOT.findall(html):
        response = client.get(url)
        assert response.status_code == 200, url
        parts.append(response.content.decode())
    return "\n".join(parts)
