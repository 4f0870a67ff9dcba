"""The language of the server's own pages: the browser's first wish the workbook has, else English."""

from __future__ import annotations

import pytest

from widgets.server.language import MOST_LANGUAGES, accepted_languages, request_locale


@pytest.mark.parametrize(
    ("header", "wanted"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", ["es-mx", "es", "en"]),
        ("en;q=0.5, ES ;q=0.7, fr", ["fr", "es", "en"]),
        ("es;q=0,en", ["en"]),
        ("*", []),
        ("", []),
        (None, []),
        ("es;q=high,en", ["en"]),  # an unreadable weight means "not wanted", never an error
        ("es;q=7", ["es"]),
        (";;;,,,", []),
    ],
)
def test_accept_language_is_read_most_wanted_first(header, wanted):
    assert accepted_languages(header) == wanted


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("es-419", "es"),
        ("fr-CA,fr;q=0.9,es;q=0.5", "es"),
        ("fr-CA,fr;q=0.9", "en"),
        ("en-GB,es;q=0.9", "en"),
        ("xx-" + "y" * 5000, "en"),
    ],
)
def test_a_request_gets_the_first_language_the_workbook_has(header, locale):
    assert request_locale({"Accept-Language": header}) == locale


def test_without_the_header_the_page_is_english():
    assert request_locale({}) == "en"


def test_a_flood_of_languages_is_cut_not_read_whole():
    header = ",".join(["fr"] * 10_000 + ["es"])
    assert len(accepted_languages(header)) == MOST_LANGUAGES
    assert request_locale({"Accept-Language": header}) == "en"
