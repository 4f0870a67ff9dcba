"""The parts every page shares (widgets/rendering/parts.py): where you are, crisis resources, links."""

from __future__ import annotations

from html.parser import HTMLParser

from markupsafe import escape

from widgets import load_content
from widgets.rendering import parts

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
    html = parts.crisis_compact(CONTENT.crisis)
    for line in CONTENT.crisis.lines:
        assert line.short in html
    assert CONTENT.crisis.emergency in html


def test_full_crisis_lists_name_region_and_how():
    html = parts.crisis_full(CONTENT.crisis)
    for line in CONTENT.crisis.lines:
        assert escape(line.name) in html
        assert escape(line.how) in html


def test_section_header_says_where_and_frames():
    html = parts.section_header(CONTENT, CONTENT.sections.by_number(1))
    assert "Section 1 of 9" in html
    assert CONTENT.workbook.framing in html
    assert 'aria-label="Crisis support"' in html


def test_section_1_links_back_to_welcome_and_names_the_next():
    html = parts.section_nav(CONTENT, CONTENT.sections.by_number(1))
    hrefs = [link["href"] for link in _links(html)]
    assert hrefs[0] == CONTENT.sections.welcome_notebook
    second = CONTENT.sections.by_number(2)
    if second.notebook:
        assert second.notebook in hrefs
    else:
        assert f"Section 2: {escape(second.title)}" in html
        assert CONTENT.workbook.toc_unavailable in html


def _all_link_html() -> list[str]:
    return [
        parts.welcome_contents(CONTENT),
        parts.summary_page(CONTENT, []),
        *(parts.section_nav(CONTENT, section) for section in CONTENT.sections.sections),
        *(parts.section_header(CONTENT, section) for section in CONTENT.sections.sections),
    ]


def test_every_link_opens_in_the_same_tab_and_names_no_one():
    # The participant cookie carries the participant from page to page: no address holds a code.
    links = [link for html in _all_link_html() for link in _links(html)]
    assert len(links) > 20
    assert all(link.get("target") == "_self" for link in links)
    assert all("?" not in link["href"] and "#" not in link["href"] for link in links)


def test_welcome_contents_list_every_section_with_progress():
    html = parts.welcome_contents(CONTENT, frozenset({"hidden-weight"}))
    for section in CONTENT.sections.sections:
        assert f"Section {section.number}: " in html
        if section.notebook:
            assert any(link["href"] == section.notebook for link in _links(html))
    progress = CONTENT.workbook.progress
    assert html.count(escape(progress.started)) == 1
    assert html.count(escape(progress.not_started)) == len(CONTENT.sections.sections) - 1


def test_welcome_intro_and_privacy():
    intro = parts.welcome_intro(CONTENT)
    assert CONTENT.workbook.framing in intro
    assert 'aria-label="Crisis support"' in intro
    privacy = parts.welcome_privacy(CONTENT, 45, 6)
    for point in CONTENT.workbook.privacy.points:
        assert escape(point.format(retention_days=45, backup_days=6)) in privacy
    assert "up to 6 days" in privacy  # how long a deleted workbook can remain in backups
    assert "45 days" in privacy


def test_markup_in_content_is_shown_as_text():
    crisis = CONTENT.crisis.model_copy(update={"heading": "<img src=x onerror=alert(1)>"})
    html = parts.crisis_full(crisis)
    assert "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
