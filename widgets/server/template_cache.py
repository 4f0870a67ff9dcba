"""One compiled copy of the page templates for the whole server.

Voilà builds a new nbconvert exporter, with a new Jinja environment, for every page it serves, and each
environment parses and compiles the same fifteen or so templates again: about a third of the server's
CPU for each page under a room's burst, measured with cProfile. nbconvert has no setting for a Jinja
bytecode cache, so `install` gives every exporter's environment one shared in-memory cache. Jinja checks
each template's source against the cached copy's checksum, so an edited template is compiled again.

The same patch, the one place the workbook touches the environment, also gives the page template
``page_styles()`` (`widgets.rendering.styles`): the styles kept beside the code they style, which the
template inlines in the page; and ``page_words()`` (`widgets.rendering.parts.page_template_words`): the
page's own words ("Leave quickly", the skip link), from the content files like every other word.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from widgets.rendering.parts import language_switch, page_template_words
from widgets.rendering.styles import page_styles


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory, per template and per sync or async environment."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        """The compiled code of one template, found by its name, source and environment settings."""
        # The same source compiles to different code under different settings: keep them apart.
        key = f"{self.get_cache_key(name, filename)}-{_settings(environment)}"
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from memory, if this template was compiled before."""
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep ``bucket``'s compiled code for the next page."""
        self._compiled[bucket.key] = bucket.bytecode_to_string()


def _settings(environment: Environment) -> str:
    """A digest of the settings Jinja fixes in compiled code.

    They are: async or not, autoescape, delimiters, extensions, and how each filter and test is called
    (with the context, the environment, or neither).
    """
    autoescape = environment.autoescape
    parts = [
        str(environment.is_async),
        autoescape.__qualname__ if callable(autoescape) else str(autoescape),
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        ",".join(sorted(environment.extensions)),
        *(f"{name}:{_passes(f)}" for name, f in sorted(environment.filters.items())),
        *(f"{name}:{_passes(f)}" for name, f in sorted(environment.tests.items())),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _passes(function: Any) -> str:
    passes = getattr(function, "jinja_pass_arg", None)
    return getattr(passes, "name", "") if passes is not None else ""


_CACHE = SharedBytecodeCache()


def install() -> None:
    """Give every nbconvert exporter's Jinja environment the shared cache, ``page_styles``, ``page_words``."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    # nbconvert leaves _create_environment unannotated; it makes the exporter's Jinja environment.
    create: Callable[[TemplateExporter], Environment] = TemplateExporter._create_environment
    if getattr(create, "_shares_bytecode", False):
        return

    def create_workbook_environment(self: TemplateExporter) -> Environment:
        environment = create(self)
        environment.bytecode_cache = _CACHE
        # A global, not compiled into any template's code: the shared cache does not need to know it.
        environment.globals["page_styles"] = page_styles
        environment.globals["page_words"] = page_template_words
        environment.globals["language_switch"] = language_switch
        return environment

    create_workbook_environment._shares_bytecode = True  # type: ignore[attr-defined]  # a mark on a function
    # The patch is the point: nbconvert has no setting for the cache (see the module's docstring).
    TemplateExporter._create_environment = create_workbook_environment  # type: ignore[method-assign]
