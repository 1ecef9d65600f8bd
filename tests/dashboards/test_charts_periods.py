"""Charts and periods on their own: escaping, scale, one point per datum, and the period parser's refusals."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from cchc.dashboards.charts import Point, bar_chart, column_chart, percent, share_chart
from cchc.dashboards.periods import months_of, period_parse

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 5, 20)


def _xml(text: str) -> ET.Element:
    return ET.fromstring(text)  # noqa: S314 - the charts this code draws, never outside input


def test_text_is_escaped_and_the_svg_stays_well_formed() -> None:
    svg = bar_chart(title='A & B <"x">', points=[Point("<script>", 1, "1 & 2")], maximum=2, chart_id="c")
    element = _xml(str(svg))
    assert element.findtext(f"{SVG}title") == 'A & B <"x">'
    assert "<script>" not in str(svg)
    rect = next(r for r in element.iter(f"{SVG}rect") if r.attrib.get("class") == "point")
    assert rect.findtext(f"{SVG}title") == "<script>: 1 & 2"
    assert float(rect.attrib["width"]) == 180.0  # half of the 360-unit bar


def test_columns_scale_and_no_data_is_an_empty_column() -> None:
    element = _xml(
        str(
            column_chart(
                title="t",
                points=[Point("a", 1, ""), Point("b", 0.5, ""), Point("c", None, "—")],
                maximum=1,
                chart_id="c",
            )
        )
    )
    heights = [
        float(r.attrib["height"]) for r in element.iter(f"{SVG}rect") if r.attrib.get("class") == "point"
    ]
    assert heights == [160.0, 80.0, 0.0]


def test_shares_split_the_bar_and_an_empty_total_draws_nothing() -> None:
    element = _xml(str(share_chart(title="t", points=[Point("a", 3, ""), Point("b", 1, "")], chart_id="c")))
    widths = [
        float(r.attrib["width"]) for r in element.iter(f"{SVG}rect") if r.attrib.get("class") == "point"
    ]
    assert widths == [354.0, 118.0]
    empty = _xml(str(share_chart(title="t", points=[Point("a", 0, "")], chart_id="c")))
    assert [r.attrib["width"] for r in empty.iter(f"{SVG}rect") if r.attrib.get("class") == "point"] == [
        "0.0"
    ]


def test_percent() -> None:
    assert percent(None) == "—"
    assert percent(2 / 3) == "66,7%"
    assert percent(1) == "100,0%"


def test_periods() -> None:
    assert period_parse({}, today=TODAY).label.startswith("Quý 2/2026")
    march = period_parse({"ky": "month", "nam": "2026", "so": "3"}, today=TODAY)
    assert (march.start, march.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    year = period_parse({"ky": "year", "nam": "2025"}, today=TODAY)
    assert [m.number for m in months_of(year)] == list(range(1, 13))
    assert months_of(year)[-1].end == dt.date(2025, 12, 31)
    quarter = period_parse({"ky": "quarter", "nam": "2026", "so": "4"}, today=TODAY)
    assert [m.number for m in months_of(quarter)] == [10, 11, 12]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"ky": "report_year", "nam": "2026"}, "Loại kỳ không hợp lệ"),
        ({"ky": "month", "nam": "2026", "so": "0"}, "không hợp lệ"),
        ({"ky": "quarter", "nam": "2026", "so": "5"}, "không hợp lệ"),
        ({"ky": "month", "nam": "hai nghìn"}, "phải là số"),
        ({"ky": "year", "nam": "3000"}, "2000-2100"),
        ({"nam": "2026"}, "Loại kỳ không hợp lệ"),
    ],
)
def test_bad_periods(params: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        period_parse(params, today=TODAY)
