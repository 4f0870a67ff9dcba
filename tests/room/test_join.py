"""The join address a room shows, and its QR code's image."""

from __future__ import annotations

import base64
import re
from html import unescape

import pytest
import segno

from widgets.room.join import PUBLIC_URL_SETTING, is_loopback, join_address, qr_code_html, server_address


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"SERVER_NAME": "192.168.1.20", "SERVER_PORT": "8866"}, "http://192.168.1.20:8866/"),
        ({"SERVER_NAME": "workbook.example.org", "SERVER_PORT": "80"}, "http://workbook.example.org/"),
        ({"SERVER_NAME": "::1", "SERVER_PORT": "8866"}, "http://[::1]:8866/"),
        (
            {"SERVER_NAME": "10.0.0.5", "SERVER_PORT": "9000", "VOILA_BASE_URL": "/workbook"},
            "http://10.0.0.5:9000/workbook/",
        ),
        # The address --lan found (or a proxy's) wins over the host the facilitator's browser used.
        (
            {
                PUBLIC_URL_SETTING: "http://192.168.1.20:8866",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": "8866",
            },
            "http://192.168.1.20:8866/",
        ),
        ({PUBLIC_URL_SETTING: "https://rooms.example.org/"}, "https://rooms.example.org/"),
        # A setting that is not an address is ignored rather than shown to a room.
        (
            {PUBLIC_URL_SETTING: "javascript:alert(1)", "SERVER_NAME": "10.0.0.5", "SERVER_PORT": "80"},
            "http://10.0.0.5/",
        ),
        ({}, "http://127.0.0.1/"),
    ],
)
def test_the_server_address_comes_from_the_setting_or_the_request(environ, expected):
    assert server_address(environ) == expected


def test_the_join_address_opens_the_welcome_page_with_the_room_filled_in():
    address = join_address(
        "K7MP3X", "00-welcome.ipynb", {"SERVER_NAME": "192.168.1.20", "SERVER_PORT": "8866"}
    )
    assert address.full == "http://192.168.1.20:8866/voila/render/00-welcome.ipynb?room=K7MP3X"
    assert address.short == "192.168.1.20:8866"
    assert not is_loopback(address)
    assert is_loopback(join_address("K7MP3X", "00-welcome.ipynb", {"SERVER_NAME": "127.0.0.1"}))


def test_the_qr_code_is_an_image_in_the_page_named_with_its_address():
    address = "http://192.168.1.20:8866/voila/render/00-welcome.ipynb?room=K7MP3X"
    html = qr_code_html(address, "QR code to join the room")
    assert unescape(re.search(r'alt="([^"]*)"', html).group(1)) == f"QR code to join the room: {address}"
    source = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    svg = base64.b64decode(source).decode("utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")  # nothing to fetch
    # The drawing is segno's own for this address (the browser test reads it back with a decoder).
    expected = segno.make_qr(address, error="m").svg_inline(
        scale=1, border=4, dark="#1a1a1a", light="#ffffff", omitsize=True
    )
    assert svg.replace(' xmlns="http://www.w3.org/2000/svg"', "", 1) == expected
    assert '"><script' not in qr_code_html('x"><script>alert(1)</script>', "QR code")
