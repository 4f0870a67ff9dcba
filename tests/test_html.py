"""The parts every page shares: where you are, crisis resources, links, welcome page."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from widgets import _html, load_content

CONTENT = load_content()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.append(dict(attrs))


def _links(html: str) -> list[dict[str, str]]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_compact_crisis_lists_every_line_from_the_content_file():
    html = _html.crisis_compact(CONTENT.crisis)
    for line in CONTENT.crisis.lines:
        assert line.short in html
    assert CONTENT.crisis.emergency in html


def test_full_crisis_lists_name_region_and_how():
    html = _html.crisis_full(CONTENT.crisis)
    for line in CONTENT.crisis.lines:
        assert escape(line.name) in html
        assert escape(line.how) in html


def test_section_header_says_where_and_frames():
    html = _html.section_header(CONTENT, CONTENT.sections.by_number(1))
    assert "Section 1 of 9" in html
    assert CONTENT.workbook.framing in html
    assert 'aria-label="Crisis support"' in html


def test_section_1_links_back_to_welcome_and_names_the_next():
    html = _html.section_nav(CONTENT, CONTENT.sections.by_number(1))
    hrefs = [link["href"] for link in _links(html)]
    assert hrefs[0] == CONTENT.sections.welcome_notebook
    second = CONTENT.sections.by_number(2)
    if second.notebook:
        assert second.notebook in hrefs
    else:
        assert f"Section 2: {escape(second.title)}" in html
        assert CONTENT.workbook.toc_unavailable in html


def test_every_link_opens_in_the_same_tab():
    pages = [
        _html.welcome_page(CONTENT),
        *(_html.section_nav(CONTENT, section) for section in CONTENT.sections.sections),
    ]
    links = [link for html in pages for link in _links(html)]
    assert links
    assert all(link.get("target") == "_self" for link in links)


def test_welcome_page_has_contents_privacy_and_crisis():
    html = _html.welcome_page(CONTENT)
    built = [section for section in CONTENT.sections.sections if section.notebook]
    for section in CONTENT.sections.sections:
        assert f"Section {section.number}: " in html
    for section in built:
        assert any(link["href"] == section.notebook for link in _links(html))
    for point in CONTENT.workbook.privacy.points:
        assert escape(point) in html
    assert CONTENT.crisis.heading in html
    assert CONTENT.workbook.framing in html


def test_markup_in_content_is_shown_as_text():
    crisis = CONTENT.crisis.model_copy(update={"heading": "<img src=x onerror=alert(1)>"})
    html = _html.crisis_full(crisis)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
