"""QR codes for asset labels (segno, pure Python: nothing is fetched at run
time). A label's code opens the item's page by its asset number, so a
keeper with a phone finds and confirms the item."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def item_url(asset_no: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse("assets:item_qr", args=[asset_no])


def qr_data_uri(text: str) -> str:
    """An SVG data URI that WeasyPrint embeds directly."""
    import segno  # only label printing needs it

    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=2)
