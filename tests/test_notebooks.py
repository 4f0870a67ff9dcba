"""The notebooks: thin, without outputs, listed, and faithful to the article."""

from __future__ import annotations

import json
import re
from functools import partial
from pathlib import Path

import pytest

from widgets import load_content
from widgets.content_files import DEFAULT_LOCALE, content_dir, locales

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
CONTENT = load_content()


def _notebook(name: str) -> dict:
    return json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))


def _cells(name: str, kind: str) -> list[str]:
    return ["".join(c["source"]) for c in _notebook(name)["cells"] if c["cell_type"] == kind]


ALL = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
BUILT = [s for s in CONTENT.sections.sections if s.notebook]


def test_every_notebook_is_listed_and_every_listed_one_exists():
    sections = CONTENT.sections
    listed = {
        sections.welcome_notebook,
        sections.summary_notebook,
        sections.facilitator_notebook,
        sections.guide_notebook,
    }
    listed |= {s.notebook for s in BUILT}
    assert set(ALL) == listed


@pytest.mark.parametrize("name", ALL)
def test_committed_without_outputs(name):
    for cell in _notebook(name)["cells"]:
        assert not cell.get("outputs"), name
        assert cell.get("execution_count") is None, name


@pytest.mark.parametrize("name", ALL)
def test_thin_code_cells_and_a_title(name):
    notebook = _notebook(name)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    assert "Reconnection Workbook" in notebook["metadata"]["title"]
    for source in _cells(name, "code"):
        lines = [line for line in source.splitlines() if line.strip()]
        assert len(lines) <= 3, source
        assert all(line.startswith(("from widgets", "show_")) for line in lines), source


def test_summary_page_shows_the_summary():
    assert _cells(CONTENT.sections.summary_notebook, "code") == [
        "from widgets.pages import show_summary\n\nshow_summary()"
    ]


def test_welcome_title_is_the_articles(article_lines):
    markdown = _cells(CONTENT.sections.welcome_notebook, "markdown")[0]
    assert markdown.startswith(f"# {article_lines[0]}\n")
    assert CONTENT.workbook.title == article_lines[0]
    assert article_lines[1] in markdown


def _article_sections(article_lines: list[str]) -> dict[str, list[str]]:
    titles = {s.title for s in CONTENT.sections.sections}
    sections: dict[str, list[str]] = {}
    current = None
    for line in article_lines[2:]:
        if line in titles:
            current = line
            sections[current] = []
        else:
            sections[current].append(line)
    return sections


@pytest.mark.parametrize("section", BUILT, ids=lambda s: s.slug)
def test_section_text_is_the_articles_word_for_word(section, article_lines):
    expected = _article_sections(article_lines)[section.title]
    markdown = _cells(section.notebook, "markdown")
    assert len(markdown) == 1
    blocks = [block.strip() for block in markdown[0].split("\n\n") if block.strip()]
    assert blocks[0] == f"# {section.title}"
    assert blocks[1:] == expected


@pytest.mark.parametrize("section", BUILT, ids=lambda s: s.slug)
def test_section_notebook_shows_its_own_number(section):
    code = "\n".join(_cells(section.notebook, "code"))
    assert set(re.findall(r"show_section_\w+\((\d+)", code)) == {str(section.number)}
    assert f"Section {section.number} of 9" in _notebook(section.notebook)["metadata"]["title"]


def test_shared_article_copy_is_unchanged(article_lines):
    shared = REPO.parent / "shared" / "article" / "community-as-medicine-part-1.txt"
    if not shared.exists():
        pytest.skip("no shared/ folder beside this checkout to compare with")
    lines = [line.strip() for line in shared.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines == article_lines


# --- the Spanish (and any further) edition ------------------------------------------------------

TRANSLATED = [locale for locale in locales() if locale != DEFAULT_LOCALE]
ARTICLE_ES = REPO / "article" / "community-as-medicine-part-1.es.txt"


def _translated_pages(locale: str) -> list[str]:
    return sorted(p.name for p in (NOTEBOOKS / locale).glob("*.ipynb"))


def test_every_page_has_its_notebook_in_every_language():
    for locale in TRANSLATED:
        assert _translated_pages(locale) == ALL, locale


@pytest.mark.parametrize("name", ALL)
def test_each_notebook_says_its_language_and_passes_it_to_the_page(name):
    english = _notebook(name)
    assert english["metadata"]["workbook"] == {"language": DEFAULT_LOCALE}
    for locale in TRANSLATED:
        translated = _notebook(f"{locale}/{name}")
        assert translated["metadata"]["workbook"] == {"language": locale}
        assert translated["metadata"]["kernelspec"] == english["metadata"]["kernelspec"]
        assert [c["cell_type"] for c in translated["cells"]] == [c["cell_type"] for c in english["cells"]]
        for cell in translated["cells"]:
            assert not cell.get("outputs"), name
            assert cell.get("execution_count") is None, name
        # The same calls, each told the page's language.
        mine = _cells(name, "code")
        theirs = _cells(f"{locale}/{name}", "code")
        told = [re.sub(r"(show_\w+)\((\d*)\)", partial(_with_language, locale=locale), code) for code in mine]
        assert theirs == told


def _with_language(call: re.Match[str], locale: str) -> str:
    name, number = call[1], call[2]
    return f'{name}({number}, "{locale}")' if number else f'{name}("{locale}")'


def _spanish_lines() -> list[str]:
    return [line.strip() for line in ARTICLE_ES.read_text(encoding="utf-8").splitlines() if line.strip()]


SPANISH = load_content(content_dir("es"))


@pytest.mark.parametrize("section", BUILT, ids=lambda s: s.slug)
def test_spanish_section_text_is_the_spanish_articles_word_for_word(section):
    lines = _spanish_lines()
    spanish_section = SPANISH.sections.by_number(section.number)
    titles = {s.title for s in SPANISH.sections.sections}
    start = lines.index(spanish_section.title)
    following = next((i for i in range(start + 1, len(lines)) if lines[i] in titles), len(lines))
    markdown = _cells(f"es/{section.notebook}", "markdown")
    assert len(markdown) == 1
    blocks = [block.strip() for block in markdown[0].split("\n\n") if block.strip()]
    assert blocks[0] == f"# {spanish_section.title}"
    assert blocks[1:] == lines[start + 1 : following]
    title = _notebook(f"es/{section.notebook}")["metadata"]["title"]
    assert title.startswith(f"Sección {section.number} de 9: {spanish_section.title}")


def test_spanish_welcome_title_is_the_spanish_articles():
    lines = _spanish_lines()
    markdown = _cells(f"es/{CONTENT.sections.welcome_notebook}", "markdown")[0]
    assert markdown.startswith(f"# {lines[0]}\n")
    assert SPANISH.workbook.title == lines[0]
    assert lines[1] in markdown
