"""Two small files every demo document points at (stored once)."""

from __future__ import annotations

import struct
import zlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 24 Tf 72 760 Td (DEMO SCAN) Tj ET\nendstream endobj\n"
    b"5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _png(width: int = 26, height: int = 38) -> bytes:
    """A pale blue one-inch-photo-shaped PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xc8\xdc\xf0" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def demo_files() -> dict[str, tuple[str, int, str]]:
    """kind -> (stored name, size, sniffed type) of the two shared files."""
    out = {}
    for key, name, content, kind in (
        ("pdf", "archives/demo/scan.pdf", PDF, "pdf"),
        ("png", "archives/demo/photo.png", _png(), "png"),
    ):
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(content))
        out[key] = (name, len(content), kind)
    return out
