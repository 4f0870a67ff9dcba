"""The language of a page the server answers by itself: the one the browser asks for, if the workbook has it.

Browsers send the languages their user reads, most wanted first, in ``Accept-Language``
(``es-MX,es;q=0.9,en;q=0.8``). Babel's ``negotiate_locale`` picks the first the workbook has, matching
a regional tag to its language (``es-MX`` reads ``es``); English when none matches. A language the
workbook lacks is never an error.
"""

from __future__ import annotations

from collections.abc import Mapping

from babel import negotiate_locale

from widgets.content_files import DEFAULT_LOCALE, locales

__all__ = ["accepted_languages", "request_locale"]

# More than a browser ever sends; a longer header is someone else's doing and is cut, not parsed whole.
MOST_LANGUAGES = 20


def _weight(parameters: list[str]) -> float:
    """The ``q=`` of one entry (1 when absent; 0, never wanted, when unreadable)."""
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0


def accepted_languages(header: str | None) -> list[str]:
    """An ``Accept-Language`` header's tags in lower case, most wanted first (no ``*``, no ``q=0``)."""
    wanted: list[tuple[float, int, str]] = []
    for order, entry in enumerate((header or "").split(",")[:MOST_LANGUAGES]):
        tag, *parameters = entry.split(";")
        tag = tag.strip().lower()  # tags are case-insensitive; the folders are lower case
        weight = _weight(parameters)
        if tag and tag != "*" and weight > 0:
            wanted.append((-weight, order, tag))
    return [tag for _weight_, _order, tag in sorted(wanted)]


def request_locale(headers: Mapping[str, str]) -> str:
    """The workbook's language for a request with these headers."""
    chosen = negotiate_locale(accepted_languages(headers.get("Accept-Language")), locales(), sep="-")
    return chosen or DEFAULT_LOCALE
