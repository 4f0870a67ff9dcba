"""The rendering layer itself: what it escapes, what it refuses, and how its templates are read."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from widgets.content_files import Unit
from widgets.rendering import Markup, render, trusted
from widgets.rendering._environment import TEMPLATES, compile_templates, environment
from widgets.rendering.fragments import heading, items, paragraph

MARKUP = "<script>alert(\"x\")</script><b onmouseover='1'>&amp;"


def test_what_a_template_is_given_arrives_as_text():
    html = paragraph(MARKUP, "rw-note")
    assert "<script>" not in html
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b onmouseover=&#39;1&#39;&gt;&amp;amp;"
    assert html == f'<p class="rw-note">{escaped}</p>'


def test_markup_made_by_a_template_is_not_escaped_twice():
    inner = heading("A & B", level=3)
    assert paragraph(inner) == "<p><h3>A &amp; B</h3></p>"


def test_trusted_markup_needs_a_reason():
    with pytest.raises(ValueError, match="why"):
        trusted("<svg/>", why=" ")
    assert trusted("<svg/>", why="drawn by segno") == Markup("<svg/>")


def test_a_name_a_template_does_not_get_is_an_error_not_an_empty_string():
    with pytest.raises(UndefinedError):
        render("fragments/paragraph.html", text="no class given")


def test_line_breaks_and_indentation_in_a_template_leave_no_white_space():
    template = environment().from_string("<ul>\n    <li>\n        {{ word }}\n    </li>\n</ul>\n")
    assert template.render(word="a b") == "<ul><li>a b</li></ul>"


def test_a_heading_level_outside_two_to_six_is_refused():
    with pytest.raises(ValueError, match="level"):
        heading("Title", level=1)


def test_lists_escape_every_entry():
    assert items(["<i>", "b"]) == "<ul><li>&lt;i&gt;</li><li>b</li></ul>"


@pytest.mark.parametrize(
    ("count", "locale", "words"),
    [(0, "en", "0 people"), (1, "en", "1 person"), (2.5, "en", "2.5 people"), (1, "es", "1 persona")],
)
def test_the_amount_filter_writes_a_number_with_the_form_of_its_unit_that_agrees(count, locale, words):
    forms = {"en": {"one": "person", "other": "people"}, "es": {"one": "persona", "other": "personas"}}
    unit = Unit.of(forms[locale])
    template = environment().from_string("{{ n | amount(unit, locale) }}")
    assert template.render(n=count, unit=unit, locale=locale) == words


def test_every_template_compiles_ahead_for_the_warm_parent():
    templates = [path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".svg"}]
    assert compile_templates() == len(templates) > 50
