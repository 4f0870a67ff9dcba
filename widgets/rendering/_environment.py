"""One Jinja2 environment for the whole workbook: autoescape on, undefined names refused."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from jinja2.ext import Extension
from markupsafe import Markup

from widgets.content_files import amount

__all__ = ["Markup", "compile_templates", "environment", "render", "trusted"]

TEMPLATES = Path(__file__).with_name("templates")

# A line break in a template and the indentation after it: dropped when the template is read.
_LINE_BREAK = re.compile(r"\n[ \t]*")


class CompactLines(Extension):
    """Templates are written over many indented lines; the pages they make have no stray white space.

    Every line break in a template's *source*, with the indentation after it, is removed before
    the template is compiled, so ``<p>`` and ``</p>`` written on lines of their own render as
    ``<p>...</p>`` (white space between inline elements shows on the page). A space a page needs is
    written where it belongs: at the end of a line's text, or as ``{{ " " }}``. What a template is
    given is never touched.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return _LINE_BREAK.sub("", source)


@cache
def environment() -> Environment:
    """The environment every template is rendered in (made once per process)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[CompactLines],
        keep_trailing_newline=False,
    )
    # A number and its unit, the unit in the form that agrees with it: {{ number | amount(unit) }}.
    env.filters["amount"] = amount
    return env


def compile_templates() -> int:
    """Read and compile every template now, and say how many (a forked page then compiles none).

    The warm parent calls this before it forks kernels: a template compiled there is shared by every
    page's kernel, where compiling on first use costs each page tens of milliseconds of CPU.
    """
    env = environment()
    names = env.list_templates(filter_func=lambda name: not name.endswith(".css"))
    for name in names:
        env.get_template(name)
    return len(names)


def render(template: str, **context: Any) -> Markup:
    """Render ``templates/<template>`` with ``context``: markup, with everything given escaped."""
    # The template escaped everything it was given: its output is markup.
    return Markup(environment().get_template(template).render(**context))  # noqa: S704


def trusted(markup: str, *, why: str) -> Markup:
    """Pass markup made outside the templates through unescaped: ``why`` says where it comes from.

    The reason is required so that every such place reads as a decision (and a search for
    ``trusted(`` lists them all); it is not used at run time.
    """
    if not why.strip():
        raise ValueError("say why this markup is trusted")
    return Markup(markup)  # noqa: S704 (the one marked way: the caller said why)
