"""The page's styles: beside the code they style, gathered in one fixed order, inlined by the template."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from nbconvert.exporters.templateexporter import TemplateExporter

from widgets.rendering.styles import STYLESHEETS, page_styles
from widgets.server.template_cache import install

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = REPO / "share/jupyter/voila/templates/reconnection"
ROOM_STYLES = (REPO / "widgets/room/static/room.css", REPO / "widgets/room/static/console.css")


def _rules(css: str) -> list[str]:
    """The rules of a stylesheet, comments left out and white space made single spaces."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules, depth, start = [], 0, 0
    for at, character in enumerate(css):
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth == 0:
                rules.append(" ".join(css[start : at + 1].split()))
                start = at + 1
    assert depth == 0, "unbalanced braces"
    assert not css[start:].strip(), "text after the last rule"
    return rules


def test_no_rule_is_written_twice_across_the_stylesheets():
    rules = _rules(page_styles())
    assert len(rules) > 100  # the parser found the rules, not one lump
    assert [rule for rule, count in Counter(rules).items() if count > 1] == []


def test_every_slide_rule_lives_with_the_room():
    # The room's folder: its own styles and its console's (which sizes the slides' bars for a laptop).
    room = {rule for path in ROOM_STYLES for rule in _rules(path.read_text(encoding="utf-8"))}
    slides = [rule for rule in _rules(page_styles()) if "rw-slide" in rule]
    assert len(slides) > 40
    assert [rule for rule in slides if rule not in room] == []


def test_the_stylesheets_are_beside_their_code_in_cascade_order():
    package = REPO / "widgets"
    assert [path.relative_to(package).as_posix() for path in STYLESHEETS] == [
        "rendering/static/page.css",
        "room/static/room.css",
        "take_home/static/take_home.css",
    ]
    rules = [rule for path in STYLESHEETS for rule in _rules(path.read_text(encoding="utf-8"))]
    assert _rules(page_styles()) == rules  # every rule of every file, in the files' order
    assert page_styles() is page_styles()  # read once


def test_share_keeps_only_the_page_template():
    assert sorted(path.relative_to(REPO).as_posix() for path in (REPO / "share").rglob("*.css")) == []
    names = sorted(path.name for path in TEMPLATE.iterdir())
    assert names == ["503.html", "conf.json", "index.html.j2", "tree-lab.html", "tree.html"]


def test_the_styles_name_no_outside_host_and_stay_inside_their_style_element():
    styles = page_styles()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", styles, re.IGNORECASE)
    assert not re.search(r"url\(|@import", styles, re.IGNORECASE)  # no request of any kind
    assert "</style" not in styles.lower()


def test_the_template_inlines_them_in_one_style_element():
    template = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    assert template.count("page_styles()") == 1
    assert re.search(r"<style>\s*\{\{ page_styles\(\) \}\}\s*</style>", template)
    assert "workbook.css" not in template


def test_every_exporter_the_server_makes_can_inline_them():
    install()
    environment = TemplateExporter().environment
    assert environment.globals["page_styles"] is page_styles
    rendered = environment.from_string("<style>{{ page_styles() }}</style>").render()
    assert rendered == f"<style>{page_styles()}</style>"  # nbconvert's environment escapes nothing


def test_no_comment_is_sent_with_every_page():
    assert "/*" not in page_styles()
    assert "*/" not in page_styles()
