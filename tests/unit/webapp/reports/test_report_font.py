"""The report's face is loaded once per process: every drawn string asks for its glyphs."""

from __future__ import annotations

from webapp.reports.pdf import _drawable, _register_font


def test_the_face_is_registered_once_and_reused() -> None:
    assert _register_font() is _register_font()  # a TrueType file parsed again per string cost 5x a report


def test_text_keeps_what_the_face_draws_and_drops_what_it_cannot() -> None:
    assert _drawable("Perpustakaan 100 %") == "Perpustakaan 100 %"
    assert _drawable("emoji \U0001f600 dropped") == "emoji  dropped"
