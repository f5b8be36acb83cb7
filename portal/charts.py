"""Small server-side SVG charts for PDFs (WeasyPrint runs no JavaScript)."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

COLOURS = ("#9ec5fe", "#198754", "#fd7e14", "#6f42c1")


def grouped_bars(
    labels: list[str],
    series: list[tuple[str, list[Decimal | float]]],
    *,
    title: str = "",
    width: int = 640,
    height: int = 220,
):
    """Grouped bar chart as inline SVG: one group per label, one bar per series."""
    values = [float(v) for _name, data in series for v in data] or [0.0]
    top = max(values) or 1.0
    left, bottom, right, head = 56, 28, 10, 26
    plot_w, plot_h = width - left - right, height - bottom - head
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-size="10">'
    ]
    if title:
        parts.append(
            f'<text x="{width / 2}" y="14" text-anchor="middle" font-size="11">{escape(title)}</text>'
        )
    for step in range(5):
        y = head + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#555">{_short(top * step / 4)}</text>'
        )
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, (_name, data) in enumerate(series):
            value = float(data[g]) if g < len(data) else 0.0
            h = plot_h * value / top
            parts.append(
                f'<rect x="{x0 + s * bar_w:.1f}" y="{head + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{COLOURS[s % len(COLOURS)]}"/>'
            )
        parts.append(
            f'<text x="{left + g * group_w + group_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">{escape(label)}</text>'
        )
    for s, (name, _data) in enumerate(series):
        x = left + s * 90
        parts.append(
            f'<rect x="{x}" y="{height - 10}" width="10" height="8" fill="{COLOURS[s % len(COLOURS)]}"/>'
        )
        parts.append(f'<text x="{x + 14}" y="{height - 3}">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text inside is escaped above


def _short(value: float) -> str:
    if value >= 1e8:
        return f"{value / 1e8:.1f}亿"
    if value >= 1e4:
        return f"{value / 1e4:.1f}万"
    return f"{value:.0f}"


PERCENT_COLOURS = ("rgba(13,110,253,0.6)", "rgba(25,135,84,0.7)", "rgba(255,193,7,0.7)")


def percent_bars(labels: list[str], series: list[tuple[str, list[int]]]) -> dict:
    """A Chart.js configuration for horizontal percentage bars (0–100), one
    bar per series for each label: the home page's per-team rates."""
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "label": name,
                    "data": data,
                    "backgroundColor": PERCENT_COLOURS[i % len(PERCENT_COLOURS)],
                }
                for i, (name, data) in enumerate(series)
            ],
        },
        "options": {"indexAxis": "y", "maintainAspectRatio": False, "scales": {"x": {"max": 100}}},
    }
