"""One compiled copy of each page template, shared by every exporter the server makes."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from jinja2 import DictLoader, Environment
from nbconvert.exporters.templateexporter import TemplateExporter

from widgets.server.template_cache import SharedBytecodeCache, install


def _counting(environment: Environment) -> list[str]:
    """Record each template the environment really compiles."""
    compiled: list[str] = []
    compile_source = environment.compile

    def compile_and_count(source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return compile_source(source, name, filename, raw, defer_init)

    environment.compile = compile_and_count
    return compiled


def _environment(cache: SharedBytecodeCache, source: str, *, is_async: bool = False) -> Environment:
    return Environment(
        loader=DictLoader({"page.html": source}), bytecode_cache=cache, enable_async=is_async, autoescape=True
    )


def test_a_second_environment_reuses_the_first_ones_compiled_template():
    cache = SharedBytecodeCache()
    first, second = _environment(cache, "Hello {{ who }}"), _environment(cache, "Hello {{ who }}")
    compiled_first, compiled_second = _counting(first), _counting(second)
    assert first.get_template("page.html").render(who="A") == "Hello A"
    assert second.get_template("page.html").render(who="B") == "Hello B"
    assert compiled_first == ["page.html"]
    assert compiled_second == []


def test_an_edited_template_is_compiled_again():
    cache = SharedBytecodeCache()
    _environment(cache, "old {{ x }}").get_template("page.html")
    edited = _environment(cache, "new {{ x }}")
    compiled = _counting(edited)
    assert edited.get_template("page.html").render(x=1) == "new 1"
    assert compiled == ["page.html"]


def test_async_and_sync_environments_keep_their_own_code():
    cache = SharedBytecodeCache()
    assert _environment(cache, "{{ 1 + 1 }}").get_template("page.html").render() == "2"
    asynchronous = _environment(cache, "{{ 1 + 1 }}", is_async=True)
    compiled = _counting(asynchronous)
    template = asynchronous.get_template("page.html")
    # In a thread of its own: a browser test's Playwright may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as worker:
        assert worker.submit(asyncio.run, template.render_async()).result() == "2"
    assert compiled == ["page.html"]


def test_every_exporter_gets_the_shared_cache_once_installed():
    install()
    install()  # twice is the same as once
    first, second = TemplateExporter(), TemplateExporter()
    assert first.environment.bytecode_cache is second.environment.bytecode_cache
    assert isinstance(first.environment.bytecode_cache, SharedBytecodeCache)


def test_environments_that_escape_differently_keep_their_own_code():
    cache = SharedBytecodeCache()
    source = "{{ text }}"
    escaping = _environment(cache, source)
    plain = Environment(loader=DictLoader({"page.html": source}), bytecode_cache=cache)  # noqa: S701
    compiled = _counting(plain)
    assert escaping.get_template("page.html").render(text="<b>") == "&lt;b&gt;"
    assert plain.get_template("page.html").render(text="<b>") == "<b>"
    assert compiled == ["page.html"]
