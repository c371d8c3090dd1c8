"""Bar charts drawn on the server as inline SVG (no script, nothing fetched): the console's
hourly entries and exits, and the province's scans per hour. Every text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape


def bars(
    series: Sequence[tuple[str, Sequence[int]]],
    labels: Sequence[str],
    *,
    title: str,
    width: int = 720,
    height: int = 220,
    every: int = 1,
    ticks: Sequence[str] | None = None,
) -> str:
    """A grouped bar chart: `series` are (css class, values) with one value per label (each
    bar's tooltip); under the axis, every `every`-th label, or `ticks` (one per bar, "" for
    none) when given. Returns an <svg> element with a <title> and a text alternative
    (role="img", aria-label)."""
    count = max(len(labels), 1)
    top = max([1, *(v for _, values in series for v in values)])
    left, bottom, pad = 40, 24, 6
    plot_w, plot_h = width - left - pad, height - bottom - pad
    slot = plot_w / count
    bar_w = max(slot / max(len(series), 1) - 1, 0.5)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction in (0.5, 1.0):
        y = pad + plot_h * (1 - fraction)
        value = round(top * fraction)
        parts.append(
            f'<line class="grid" x1="{left}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for s_index, (css, values) in enumerate(series):
        for i, value in enumerate(values):
            if not value:
                continue
            h = plot_h * value / top
            x = left + i * slot + s_index * (bar_w + 1)
            parts.append(
                f'<rect class="{escape(css)}" x="{x:.1f}" y="{pad + plot_h - h:.1f}" '
                f'width="{bar_w:.1f}" height="{h:.1f}"><title>{escape(labels[i])}: {value}'
                "</title></rect>"
            )
    base = pad + plot_h
    parts.append(f'<line class="base" x1="{left}" x2="{width - pad}" y1="{base}" y2="{base}"/>')
    for i, label in enumerate(ticks if ticks is not None else labels):
        if not label or (ticks is None and i % every):
            continue
        x = left + i * slot + slot / 2
        parts.append(
            f'<text class="axis" x="{x:.1f}" y="{height - 6}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
