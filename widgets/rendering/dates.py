"""Dates as each language writes them, through Babel (CLDR): "7 December 2026", "7 de diciembre de 2026"."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

__all__ = ["long_date"]


def long_date(day: date, locale: str) -> str:
    """``day`` written out in ``locale``'s own long form (the take-home's date, the "what is kept" times).

    English keeps the day-month-year order the workbook has always printed ("07 December 2026"); every
    other language takes its CLDR long form.
    """
    if locale == "en":
        return format_date(day, "dd MMMM y", locale="en")
    return format_date(day, format="long", locale=locale)
