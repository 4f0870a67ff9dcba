"""Compression's parts on their own: which encoding a client gets, and copies made once per content."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import brotli
import pytest

from widgets.server.compression import CompressedCopies, accepted_encoding, compressible


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("gzip, deflate, br, zstd", "br"),  # Chromium's
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("gzip;q=0, br;q=0", None),
        ("identity", None),
        ("", None),
        (None, None),
        ("*", "br"),
        ("*;q=0", None),
        ("gzip;q=0.5, *;q=0", "gzip"),
        ("GZIP", "gzip"),
        ("br;q=nonsense, gzip", "gzip"),
    ],
)
def test_the_client_gets_brotli_if_it_takes_it_else_gzip_else_nothing(header, chosen):
    assert accepted_encoding(header) == chosen


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("text/html; charset=UTF-8", True),
        ("application/javascript", True),
        ("text/css", True),
        ("application/json", True),
        ("image/svg+xml", True),
        ("text/csv; charset=utf-8", True),
        ("application/pdf", False),
        ("image/png", False),
        ("font/woff2", False),
        (None, False),
    ],
)
def test_only_text_is_compressed(kind, text):
    assert compressible(kind) is text


def _script(folder: Path, name: str = "chunk.js", size: int = 40_000) -> Path:
    path = folder / name
    path.write_text(
        "".join(f"function part{number}() {{ return {number}; }}\n" for number in range(size // 40))
    )
    return path


def test_a_copy_is_made_once_and_read_back_from_disk_by_another_process(tmp_path):
    source = _script(tmp_path)
    other = _script(tmp_path, "other.css", size=20_000)
    folder = tmp_path / "copies"
    first = CompressedCopies(folder)
    assert first.make_all([str(source), str(other)], processes=2) == 4  # brotli and gzip of each
    assert brotli.decompress(first.make(str(source), "br")) == source.read_bytes()
    assert gzip.decompress(first.make(str(source), "gzip")) == source.read_bytes()
    stored = sorted(path for path in folder.rglob("*") if path.is_file() and not path.name.startswith("."))
    assert len(stored) == 4
    times = [path.stat().st_mtime_ns for path in stored]

    # Another worker (or the next start) finds them made: nothing is compressed again.
    second = CompressedCopies(folder)
    assert second.make_all([str(source), str(other)]) == 0
    assert second.cached(str(source), "br") == first.cached(str(source), "br")
    assert [path.stat().st_mtime_ns for path in stored] == times


def test_a_changed_file_gets_new_copies_never_the_old_ones(tmp_path):
    source = _script(tmp_path)
    copies = CompressedCopies(tmp_path / "copies")
    old = copies.make(str(source), "br")
    source.write_text(source.read_text() + "function added() { return 'new'; }\n")
    new = copies.make(str(source), "br")
    assert new != old
    assert brotli.decompress(new) == source.read_bytes()


def test_a_request_never_waits_for_a_best_copy_it_gets_gzip_while_they_are_made(tmp_path):
    source = _script(tmp_path, size=400_000)
    copies = CompressedCopies(tmp_path / "copies")
    started = time.monotonic()
    encoding, body = copies.for_request(str(source), "br")
    assert time.monotonic() - started < 0.5  # zlib's fast level, not brotli's or Zopfli's best
    assert encoding == "gzip"
    assert gzip.decompress(body) == source.read_bytes()
    deadline = time.monotonic() + 60
    while copies.cached(str(source), "br") is None or copies.cached(str(source), "gzip") is None:
        assert time.monotonic() < deadline, "the best copies were not made in the background"
        time.sleep(0.05)
    encoding, body = copies.for_request(str(source), "br")
    assert encoding == "br"
    assert brotli.decompress(body) == source.read_bytes()
    # The kept gzip copy (Zopfli) is smaller than zlib's best, and any gzip reader reads it.
    best_gzip = copies.cached(str(source), "gzip")
    assert gzip.decompress(best_gzip) == source.read_bytes()
    assert len(best_gzip) < len(gzip.compress(source.read_bytes(), 9))


def test_a_client_that_takes_only_gzip_gets_gzip(tmp_path):
    source = _script(tmp_path)
    encoding, body = CompressedCopies(tmp_path / "copies").for_request(str(source), "gzip")
    assert encoding == "gzip"
    assert gzip.decompress(body) == source.read_bytes()
