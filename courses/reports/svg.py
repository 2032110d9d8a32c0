"""A horizontal bar chart drawn on the server as SVG: no script, no style attributes, only SVG's
presentation attributes, so any Content-Security-Policy lets it through and it reads without
JavaScript. Each row's label sits above its bars, so long Thai course titles get the full width
and the chart stays readable on a 390 px phone (the SVG scales to its column by its viewBox).
"""

from __future__ import annotations

from dataclasses import dataclass

from courses.reports.charts import Chart

WIDTH = 360
FONT_SIZE = 13
LINE = 18
BAR_HEIGHT = 14
BAR_GAP = 4
ROW_GAP = 10
VALUE_SPACE = 104
LABEL_CHARACTERS = 46
SHORT_LABEL = 20
LABEL_WIDTH = 150
# Dark enough on white for graphics (WCAG 1.4.11), apart from one another for the funnel's stages.
COLOURS = ("#2e5e8c", "#0b7a75", "#8a4b08", "#6b3fa0", "#a3324a")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    rects: list[Rect]
    texts: list[Text]


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(chart: Chart) -> Drawing:
    """Where each bar and each word of `chart` goes, in a viewBox `WIDTH` wide."""
    rects, texts = [], []
    y = 0.0
    if len(chart.series) > 1:
        # A legend, one stage a line, so that it fits a phone.
        for index, name in enumerate(chart.series):
            rects.append(Rect(0, y + 3, 12, 12, COLOURS[index % len(COLOURS)]))
            texts.append(Text(18, y + FONT_SIZE, name))
            y += LINE
        y += ROW_GAP
    # Short labels (months, certification states) sit left of their bar; long ones above it.
    beside = all(len(row.label) <= SHORT_LABEL and len(row.bars) == 1 for row in chart.rows)
    start = min(LABEL_WIDTH, 10 + 7 * max((len(row.label) for row in chart.rows), default=0)) if beside else 0
    span = WIDTH - start - VALUE_SPACE
    largest = max((bar.value for row in chart.rows for bar in row.bars), default=0) or 1
    for row in chart.rows:
        if beside:
            texts.append(Text(0, y + BAR_HEIGHT - 2, row.label))
        else:
            texts.append(Text(0, y + FONT_SIZE, _short(row.label)))
            y += LINE + 2
        for index, bar in enumerate(row.bars):
            if chart.is_rate:
                length = span * (bar.percent or 0) / 100
                words = f"{bar.value}/{bar.total} · {bar.percent}%"
            else:
                length = span * bar.value / largest
                words = str(bar.value)
            length = round(length, 1)
            if length:
                rects.append(Rect(start, y, length, BAR_HEIGHT, COLOURS[index % len(COLOURS)]))
            texts.append(Text(round(start + length + 6, 1), y + BAR_HEIGHT - 2, words))
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP if not beside else BAR_GAP
    return Drawing(width=WIDTH, height=max(int(y), LINE), rects=rects, texts=texts)
