"""Download names in Content-Disposition: any name, one header, read back as sent (RFC 6266/5987)."""

from __future__ import annotations

import pytest
from werkzeug.http import parse_options_header

from webapp.sending import content_disposition

HOSTILE = {
    'laporan "final".pdf': 'laporan "final".pdf',  # exact: in filename*, the stand-in has none
    "a;b=c, d.pdf": "a;b=c, d.pdf",
    "x\r\nSet-Cookie: sesi=curi.pdf": "x Set-Cookie: sesi=curi.pdf",
    "..\\..\\etc/passwd": "berkas.._.._etc_passwd",
    "Penduduk Lampung 😀 2025.pdf": "Penduduk Lampung 😀 2025.pdf",
    "السكان.pdf": "السكان.pdf",
    "Statistik Daérah.xlsx": "Statistik Daérah.xlsx",
    "": "berkas",
    ".pdf": "berkas.pdf",
    "\x00\x1f\x7f.png": "berkas.png",
    "tabel\u202egpj.exe": "tabel gpj.exe",  # a right-to-left override would disguise the extension
    "100%25.pdf": "100%25.pdf",  # given in filename* too: a client could decode a bare %25
}


@pytest.mark.parametrize(("sent", "shown"), HOSTILE.items())
@pytest.mark.parametrize("inline", [False, True])
def test_a_name_reads_back_as_sent_and_stays_in_its_header(sent: str, shown: str, inline: bool) -> None:
    value = content_disposition(sent, inline=inline)
    assert value.isascii() and not any(c in value for c in "\r\n\x00\x7f")
    kind, params = parse_options_header(value)
    assert kind == ("inline" if inline else "attachment")
    assert params == {"filename": shown}  # filename* (RFC 5987) wins where given
    fallback = value.split('filename="', 1)[1].split('"', 1)[0]  # what a client without RFC 5987 reads
    assert fallback and not any(c in fallback for c in "\\%")
    assert "filename*=" in value or fallback == shown


def test_a_long_name_keeps_its_extension() -> None:
    _, params = parse_options_header(content_disposition("日本語" * 100 + ".pdf"))
    assert params["filename"].endswith(".pdf") and len(params["filename"]) == 200
    assert params["filename"].startswith("日本語日本語")


def test_an_ascii_name_is_given_once_and_a_chosen_ascii_one_beside_the_other() -> None:
    assert content_disposition("laporan.pdf") == 'attachment; filename="laporan.pdf"'
    value = content_disposition("Kota Metro – 2025.pdf", ascii_filename="Kota Metro - 2025.pdf")
    assert value.startswith(
        "attachment; filename=\"Kota Metro - 2025.pdf\"; filename*=UTF-8''Kota%20Metro%20"
    )
