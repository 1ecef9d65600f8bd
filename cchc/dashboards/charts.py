"""Charts as inline SVG drawn on the server (biểu đồ): no JavaScript, no library, readable in print.

The page's Content-Security-Policy forbids inline styles, so shapes carry presentation attributes (fill,
stroke) only. Every chart is an `<svg role="img">` with a `<title>` and an `aria-label`, holds exactly one
`<rect class="point">` per data point (with its own `<title>`: label and value), and is always followed on the
page by a table of the same data. Every text is escaped here; the result is marked safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1a1a1a"
GRID = "#767676"
BAR = "#0b5cad"
# Distinct enough in grey print and for colour-blind readers (blue, orange, dark grey).
SERIES = ("#0b5cad", "#b35900", "#4d4d4d")


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None  # None: no data (drawn as an empty bar)
    shown: str  # the value as printed, e.g. "85,7%"


def percent(value: Decimal | float | None) -> str:
    """ "85,7%"; "—" without a value."""
    if value is None:
        return "—"
    return f"{float(value) * 100:.1f}%".replace(".", ",")


def _svg(title: str, width: int, height: int, body: list[str], chart_id: str) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 - every text was escaped above
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
        f'aria-label="{label}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">'
        f"<title>{label}</title>" + "".join(body) + "</svg>"
    )


def _point(x: float, y: float, w: float, h: float, point: Point, fill: str) -> str:
    return (
        f'<rect class="point" x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{max(h, 0):.1f}" '
        f'fill="{fill}"><title>{escape(point.label)}: {escape(point.shown)}</title></rect>'
    )


def column_chart(*, title: str, points: Sequence[Point], maximum: float, chart_id: str) -> SafeString:
    """Vertical bars, one per point (e.g. the on-time rate of each month), on a 0-`maximum` scale."""
    plot_h, step, left, top = 160.0, 56.0, 44.0, 10.0
    width = int(left + step * max(len(points), 1) + 10)
    height = int(top + plot_h + 40)
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 5}" y2="{top + plot_h}" stroke="{GRID}"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" fill="{INK}">{escape(_scale(maximum))}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" fill="{INK}">0</text>',
    ]
    for index, point in enumerate(points):
        x = left + step * index + 8
        h = plot_h * (point.value or 0) / maximum if maximum else 0
        body.append(_point(x, top + plot_h - h, step - 16, h, point, BAR))
        body.append(
            f'<text x="{x + (step - 16) / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'fill="{INK}">{escape(point.label)}</text>'
        )
        body.append(
            f'<text x="{x + (step - 16) / 2:.1f}" y="{top + plot_h + 32}" text-anchor="middle" '
            f'fill="{INK}">{escape(point.shown)}</text>'
        )
    return _svg(title, width, height, body, chart_id)


def bar_chart(*, title: str, points: Sequence[Point], maximum: float, chart_id: str) -> SafeString:
    """Horizontal bars, one per point (e.g. units ranked), label above each bar and value after it."""
    row, width, bar_w, left = 34.0, 480, 360.0, 4.0
    height = int(row * max(len(points), 1) + 8)
    body = []
    for index, point in enumerate(points):
        y = row * index + 4
        w = bar_w * (point.value or 0) / maximum if maximum else 0
        body.append(f'<text x="{left}" y="{y + 11:.1f}" fill="{INK}">{escape(point.label)}</text>')
        body.append(_point(left, y + 15, w, 12, point, BAR))
        body.append(
            f'<text x="{left + w + 6:.1f}" y="{y + 26:.1f}" fill="{INK}">{escape(point.shown)}</text>'
        )
    return _svg(title, width, height, body, chart_id)


def share_chart(*, title: str, points: Sequence[Point], chart_id: str) -> SafeString:
    """One bar split into the shares of its points (e.g. the channel mix), with a legend under it."""
    width, bar_w, left = 480, 472.0, 4.0
    total = sum(point.value or 0 for point in points)
    body = [f'<rect x="{left}" y="4" width="{bar_w}" height="24" fill="none" stroke="{GRID}"/>']
    x = left
    for index, point in enumerate(points):
        w = bar_w * (point.value or 0) / total if total else 0
        body.append(_point(x, 4, w, 24, point, SERIES[index % len(SERIES)]))
        x += w
    for index, point in enumerate(points):
        y = 44 + 20 * index
        colour = SERIES[index % len(SERIES)]
        body.append(f'<rect x="{left}" y="{y}" width="12" height="12" fill="{colour}"/>')
        body.append(
            f'<text x="{left + 18}" y="{y + 10}" fill="{INK}">{escape(point.label)}: {escape(point.shown)}</text>'
        )
    return _svg(title, width, 44 + 20 * len(points) + 4, body, chart_id)


def _scale(maximum: float) -> str:
    return "100%" if maximum == 1 else f"{maximum:g}"
