"""`python -m watermark` speaks through the catalogue: Indonesian where translated, English without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.webapp.test_translations import indonesian_catalogue
from watermark import cli, words
from watermark.errors import N_, Reason, WatermarkError


def test_the_quick_reading_of_the_catalogue_finds_what_babel_finds() -> None:
    babels = {k: v for k, v in indonesian_catalogue().items() if isinstance(v, str) and v}
    ours = words.parse_catalogue(words.CATALOGUE.read_text(encoding="utf-8"))
    assert len(ours) > 2000
    plural = {k for k, v in indonesian_catalogue().items() if not isinstance(v, str)}
    assert ours == {k: v for k, v in babels.items() if k not in plural}
    # Each looked up as the command looks it up (its id written as the file writes it).
    assert {k: words.indonesian(k) for k in ours} == ours


def test_the_reading_skips_fuzzy_untranslated_and_plural_entries_and_unescapes_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        '#, python-format\nmsgid "%(n)s pages"\nmsgstr "%(n)s halaman"\n\n'
        'msgid ""\n"A long message that "\n"runs on \\"quoted\\"\\n"\nmsgstr ""\n"Pesan panjang "\n'
        '"yang \\"dikutip\\"\\n"\n\n'
        '#, fuzzy\nmsgid "Guessed"\nmsgstr "Tebakan"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgid "%(n)s file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "%(n)s berkas"\n'
    )
    assert words.parse_catalogue(text) == {
        "%(n)s pages": "%(n)s halaman",
        'A long message that runs on "quoted"\n': 'Pesan panjang yang "dikutip"\n',
    }
    monkeypatch.setattr(words, "_translations", lambda: words._entries(text))  # looked up as the command does
    assert words.indonesian('A long message that runs on "quoted"\n') == 'Pesan panjang yang "dikutip"\n'
    assert words.indonesian("Guessed") == "Guessed"


def test_an_error_and_the_reason_inside_it_are_both_said_in_indonesian() -> None:
    error = WatermarkError(
        N_("The copy cannot be written to %(where)s: %(reason)s"),
        where="/srv/salinan",
        reason=Reason(N_("the disk is full")),
    )
    assert words.say(N_("error: %(reason)s"), reason=error) == (
        "galat: Salinan tidak dapat ditulis ke /srv/salinan: disk penuh"
    )


def test_without_the_catalogue_the_command_speaks_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(words, "CATALOGUE", tmp_path / "missing.po")
    monkeypatch.setattr(words, "_translations", words._translations.__wrapped__)  # not the cached ones
    monkeypatch.setattr(words, "_text", words._text.__wrapped__)
    text = tmp_path / "surat.txt"
    text.write_text("Tidak ada apa-apa di sini.\n")
    assert cli.main(["read", str(text)]) == cli.NO_MARK_FOUND
    assert capsys.readouterr().out == f"{text}: no mark found\n"
    assert cli.main(["page", str(text), "1", str(tmp_path / "p.gif"), "--mark", "Budi"]) == 1
    assert capsys.readouterr().err == "error: The output file's name must end in .jpg, .webp or .png\n"


def test_a_message_is_found_by_its_own_entry_as_reading_every_entry_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = (
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        'msgid "Other"\nmsgstr "The copy is ready soon"\n\n'  # the words asked for, in a translation
        '#, fuzzy\nmsgid "The copy is ready soon"\nmsgstr "Tebakan"\n\n'
        'msgid "The copy is ready soon"\nmsgstr "Salinan segera siap"\n\n'
        'msgid "The copy is ready soon"\nmsgstr ""\n\n'
        'msgid "The copy is ready sooner"\nmsgstr "Lebih cepat"\n'
    )
    monkeypatch.setattr(words, "_text", lambda: text)
    monkeypatch.setattr(words, "_translations", lambda: words._entries(text))
    assert words.indonesian("The copy is ready soon") == "Salinan segera siap"
    assert words.indonesian("The copy is ready sooner") == "Lebih cepat"
    assert words.indonesian("Not in the catalogue at all") == "Not in the catalogue at all"
    every = words.parse_catalogue(text)
    assert all(words.indonesian(message) == translation for message, translation in every.items())
