"""The site's icon: /favicon.ico answers (browsers ask for it on every page) and pages link an SVG icon."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from PIL import Image


def test_favicon_ico_is_a_small_icon_anyone_may_cache(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    data = response.data
    response.close()
    assert response.status_code == 200
    assert len(data) < 4096
    with Image.open(io.BytesIO(data)) as icon:
        assert icon.format == "ICO"
        assert icon.size in {(16, 16), (32, 32)}
    assert "public" in response.headers["Cache-Control"]


def test_every_page_links_icons_that_exist(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    links = re.findall(r'<link rel="icon" href="([^"]+)"', page)
    assert any(link.endswith(".svg") for link in links) and any(link.endswith(".ico") for link in links)
    for link in links:
        answer = client.get(link)
        assert answer.status_code == 200, link
        answer.close()
