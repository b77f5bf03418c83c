"""MARC files read one record at a time: ISO 2709 (.mrc) or MARCXML, never trusting what they say.

A file is refused whole only when it is too large or is no MARC at all; otherwise each record is
read on its own and a broken one is reported by its position (its leader, its directory, its
encoding) while the others go on. Memory stays bounded: one ISO 2709 record is at most 99,999
bytes, and MARCXML is parsed a piece at a time.

Encoding: leader/09 `a` says UTF-8 and blank says MARC-8. Systems that write UTF-8 but leave
leader/09 blank are common (older SLiMS exports among them); a record that says MARC-8 but is
valid UTF-8 with letters beyond ASCII, and has none of MARC-8's escapes, is read as UTF-8 and the
report says so. MARC-8 proper is turned into Unicode by pymarc.
"""

from __future__ import annotations

import io
import warnings
import xml.sax
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from pymarc import Record
from pymarc.exceptions import PymarcException
from pymarc.marcxml import XmlHandler

from library.catalogue.marc.profile import Words
from library.errors import InvalidInput
from library.i18n import N_

RECORD_END = b"\x1d"
MAX_RECORD = 99999  # ISO 2709's five-digit record length
XML_PIECE = 64 * 1024


@dataclass(frozen=True)
class ReadRecord:
    """One record of a file, by its position: read, or refused with the reason."""

    number: int
    record: Record | None
    problem: Words | None = None
    warnings: tuple[Words, ...] = ()


class MarcFileRefused(InvalidInput):
    """The file as a whole cannot be read as MARC; nothing of it was taken in."""


def read_marc(stream: BinaryIO, size: int, max_bytes: int) -> Iterator[ReadRecord]:
    """Yield each record of a MARC file, ISO 2709 or MARCXML; refuse a file too large or not MARC."""
    if size > max_bytes:
        raise MarcFileRefused(
            N_(
                "The file is %(size)s MB; a MARC file may be at most %(max)s MB. "
                "Split it and import each part."
            ),
            size=round(size / 1_000_000, 1),
            max=round(max_bytes / 1_000_000, 1),
        )
    start = stream.read(4096)
    stream.seek(0)
    head = start.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<"):
        if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
            raise MarcFileRefused(N_("This XML file declares a DTD or entities; MARCXML has none."))
        return _xml_records(stream)
    if head[:5].isdigit() or RECORD_END in start:  # a first record's leader may be the broken one
        return _iso2709_records(stream)
    raise MarcFileRefused(
        N_(
            "This is not a MARC file: expected ISO 2709 (.mrc, starting with the record length) "
            "or MARCXML (.xml). Export the catalogue again as MARC21."
        )
    )


def _iso2709_records(stream: BinaryIO) -> Iterator[ReadRecord]:
    """Yield the records of an ISO 2709 file, resuming after a broken one at the next record end."""
    number = 0
    while True:
        head = stream.read(5)
        if not head.strip(b" \r\n\x1a"):  # the end, or the blanks and Ctrl-Z old exports leave
            return
        number += 1
        if not head.isdigit() or not 24 < int(head) <= MAX_RECORD:
            yield ReadRecord(number, None, _broken_leader(head))
            _skip_to_end(stream)
            continue
        rest = stream.read(int(head) - 5)
        chunk = head + rest
        if not chunk.endswith(RECORD_END):
            yield ReadRecord(
                number,
                None,
                Words(N_("The record is shorter or longer than its leader says (cut off or damaged).")),
            )
            end = chunk.find(RECORD_END, 5)
            if end == -1:
                _skip_to_end(stream)
            else:
                stream.seek(end + 1 - len(chunk), io.SEEK_CUR)
            continue
        yield decode_record(number, chunk)


def decode_record(number: int, chunk: bytes) -> ReadRecord:
    """Turn one ISO 2709 record into a pymarc record, deciding its encoding; or say why it cannot be."""
    leader = chunk[:24]
    if not leader[:5].isdigit() or not leader[12:17].isdigit() or leader[20:24] != b"4500":
        return ReadRecord(number, None, _broken_leader(leader))
    coding = chr(leader[9])
    notes: list[Words] = []
    if coding == "a":
        utf8 = True
    elif coding == " ":
        utf8 = _utf8_in_disguise(chunk)
        if utf8:
            notes.append(Words(N_("Leader/09 says MARC-8 but the text is UTF-8; it was read as UTF-8.")))
    else:
        return ReadRecord(
            number,
            None,
            Words(N_("Leader/09 is '%(code)s': neither UTF-8 ('a') nor MARC-8 (blank)."), {"code": coding}),
        )
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            record = Record(data=chunk, to_unicode=True, force_utf8=utf8, hide_utf8_warnings=True)
    except UnicodeDecodeError:
        return ReadRecord(
            number,
            None,
            Words(
                N_(
                    "The record says UTF-8 but holds bytes that are not UTF-8 (MARC-8 or Windows text?). "
                    "Export it again as UTF-8."
                )
            ),
        )
    except (PymarcException, ValueError, IndexError) as exc:
        return ReadRecord(
            number,
            None,
            Words(N_("The record's directory is broken (%(what)s)."), {"what": type(exc).__name__}),
        )
    if caught:
        notes.append(Words(N_("A subfield code was damaged and read as best it could.")))
    return ReadRecord(number, record, None, tuple(notes))


def _utf8_in_disguise(chunk: bytes) -> bool:
    """Tell whether a record marked MARC-8 is in fact UTF-8: beyond ASCII, valid UTF-8, no escapes."""
    if b"\x1b" in chunk or chunk.isascii():
        return False
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _broken_leader(leader: bytes) -> Words:
    """Say a leader is broken, showing what it starts with."""
    shown = "".join(c if c.isprintable() else "?" for c in leader[:24].decode("ascii", "replace"))
    return Words(
        N_("The record's leader is broken (it starts '%(leader)s'); a MARC leader starts with five digits."),
        {"leader": shown},
    )


def _skip_to_end(stream: BinaryIO) -> None:
    """Move past the next record end (or to the end of the file)."""
    while True:
        piece = stream.read(4096)
        if not piece:
            return
        end = piece.find(RECORD_END)
        if end != -1:
            stream.seek(end + 1 - len(piece), io.SEEK_CUR)
            return


class _Collector(XmlHandler):
    """Keep the records pymarc reads until they are handed on, a piece of the file at a time."""

    def __init__(self) -> None:
        super().__init__(strict=False, normalize_form="NFC")
        self.ready: deque[Record] = deque()

    def process_record(self, record: Record) -> None:
        """Queue a record read whole."""
        self.ready.append(record)


def _xml_records(stream: BinaryIO) -> Iterator[ReadRecord]:
    """Yield the records of a MARCXML file; a broken XML document stops at the break, saying where."""
    handler = _Collector()
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    parser.setContentHandler(handler)
    number = 0
    while True:
        piece = stream.read(XML_PIECE)
        try:
            if piece:
                parser.feed(piece)  # type: ignore[attr-defined]
            else:
                parser.close()  # type: ignore[attr-defined]
        except (xml.sax.SAXException, PymarcException, KeyError, ValueError) as exc:
            while handler.ready:
                number += 1
                yield _checked_xml(number, handler.ready.popleft())
            line = exc.getLineNumber() if isinstance(exc, xml.sax.SAXParseException) else 0
            yield ReadRecord(
                number + 1,
                None,
                Words(
                    N_("The XML is broken at line %(line)s; the rest of the file is not read."),
                    {"line": line},
                ),
            )
            return
        while handler.ready:
            number += 1
            yield _checked_xml(number, handler.ready.popleft())
        if not piece:
            return


def _checked_xml(number: int, record: Record) -> ReadRecord:
    """Refuse a MARCXML record whose leader is not 24 characters."""
    leader = str(record.leader)
    if len(leader) != 24 or not leader[:5].strip(" 0123456789") == "":
        return ReadRecord(number, None, _broken_leader(leader.encode("utf-8", "replace")))
    return ReadRecord(number, record)
