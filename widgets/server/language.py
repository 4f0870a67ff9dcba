"""The language of a page the server answers by itself: the one the browser asks for, if the workbook has it.

Browsers send the languages their user reads, most wanted first, in ``Accept-Language``
(``es-MX,es;q=0.9,en;q=0.8``). Babel's ``negotiate_locale`` picks the first the workbook has, matching
a regional tag to its language (``es-MX`` reads ``es``); English when none matches. A language the
workbook lacks is never an error.

A notebook page is in the language of its folder: ``notebooks/NAME.ipynb`` in the first language,
``notebooks/es/NAME.ipynb`` in Spanish, under the same names. Which one a request gets
(:func:`wanted_locale`): the one the person just chose (``?lang=``, the page's language switch), else the
one they last read (the ``workbook_language`` cookie, set with every page), else, on the plain link
everyone is given, the browser's; a link to a translated page keeps its language for a newcomer (a room's
join link for Spanish speakers).
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from babel import negotiate_locale

from widgets.content_files import DEFAULT_LOCALE, locales
from widgets.participant import LANGUAGE_COOKIE

__all__ = [
    "LANGUAGE_COOKIE",
    "accepted_languages",
    "page_language",
    "request_locale",
    "wanted_locale",
]


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


def page_language(path: str) -> tuple[str, str] | None:
    """A page's language and file name: ``es/01-hidden-weight.ipynb`` is ``("es", "01-hidden-weight.ipynb")``.

    ``None`` for a path in no language's folder (nothing to switch).
    """
    folder, _, name = posixpath.normpath("/" + path).lstrip("/").rpartition("/")
    if not folder:
        return DEFAULT_LOCALE, name
    if folder != DEFAULT_LOCALE and folder in locales():
        return folder, name
    return None


def wanted_locale(
    page_locale: str, chosen: str | None, cookie: str | None, headers: Mapping[str, str]
) -> str:
    """The language a page request should be answered in (see the module's docstring).

    ``chosen`` is the address's ``?lang=``, ``cookie`` the ``workbook_language`` cookie's value; either
    is ignored unless the workbook has that language.
    """
    for named in (chosen, cookie):
        if named is not None and named in locales():
            return named
    if page_locale != DEFAULT_LOCALE:
        return page_locale
    return request_locale(headers)
