"""The compiled foot reader's ASCII85 decoding: a first stamp takes a page's armour off with it."""

from __future__ import annotations

import base64
import random

import pytest

from watermark.ink import content_foot

pytestmark = pytest.mark.skipif(not content_foot.available(), reason="the compiled foot reader was not built")


def a85(data: bytes) -> bytes:
    assert content_foot._footscan is not None
    return content_foot._footscan.a85(data)


@pytest.mark.parametrize("seed", range(20))
def test_what_python_encodes_decodes_back(seed: int) -> None:
    rng = random.Random(seed)
    data = rng.randbytes(rng.randrange(0, 200)) + bytes(rng.randrange(0, 13))  # zero groups become 'z'
    encoded = base64.a85encode(data, wrapcol=rng.choice([0, 20, 72])) + b"~>"
    assert a85(encoded) == data
    assert a85(b"  <~" + encoded + b"\n") == data  # the prefix some producers write


def test_what_follows_the_end_is_not_read() -> None:
    assert a85(base64.a85encode(b"isi halaman") + b"~>zzzz") == b"isi halaman"


@pytest.mark.parametrize(
    "broken", [b"ab{cd~>", b'87cURD]i,"Ebo80~>'[:6] + b"x~>", b's8W-"~>', b"!~>", b"uuuu~>"]
)
def test_a_stray_character_or_group_is_refused(broken: bytes) -> None:
    with pytest.raises(ValueError, match="not ASCII85"):
        a85(broken)
