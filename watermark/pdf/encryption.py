"""Telling a file that needs a password from one whose encryption entry encrypts nothing.

A stream encrypted with a key nobody has reads as random bytes: deflate refuses them, and
as a page's content they are no PDF operators. Those two facts are the proof a repair asks
for before it drops an /Encrypt entry, or takes pages it found without one (a file cut short
loses the trailer that named its encryption, never the encryption of its streams). A file
qpdf opens only with a password is never repaired at all: it is locked, not damaged.
"""

from __future__ import annotations

import io
import warnings

import pikepdf
from pikepdf import Dictionary, Name, Stream, String

# Every operator of ISO 32000-2 (8.2, table 50); qpdf gives an inline image as one instruction.
OPERATORS = frozenset(
    b"b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID j J "
    b"K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw "
    b"Tz v w W W* y ' \"".split()
)
# Filters qpdf decodes itself: data encrypted under them fails to decode.
_DECODED = frozenset(map(Name, ("/FlateDecode", "/LZWDecode", "/ASCIIHexDecode", "/ASCII85Decode")))
_READING = (pikepdf.PdfError, ValueError, TypeError)


def needs_password(data: bytes) -> bool:
    """Tell whether qpdf opens the file only with a password (its encryption is usable, the key not ours)."""
    try:
        with pikepdf.open(io.BytesIO(data), password=""):
            return False
    except pikepdf.PasswordError:
        return True
    except pikepdf.PdfError:
        return False  # damaged, or an encryption entry qpdf cannot interpret: for the repairs to judge


def reads_plain(pdf: pikepdf.Pdf) -> bool:
    """Tell whether the file's pages, streams and document information read as plain, unencrypted PDF.

    Every page's content must read as PDF operators (and some page must draw something),
    every stream under a filter qpdf decodes must decode, the XMP packet must be UTF-8 and
    the document information text: what a file whose streams and strings are still
    encrypted fails, all but certainly, on its first page. The file's own warnings are left
    for its reader (content is parsed in a scratch document).
    """
    with pikepdf.new() as scratch, warnings.catch_warnings():
        # pikepdf warns of operands left without their operator at a stream's end: a page cut
        # short lost its last instruction, its others are still drawn.
        warnings.simplefilter("ignore")
        try:
            drawn = [_operators(scratch, _content(page)) for page in pdf.pages]
            return (
                None not in drawn
                and any(drawn)
                and all(_decodes(stream) for stream in _streams(pdf))
                and _info_is_text(pdf)
            )
        except _READING:
            return False


def reads_as_operators(content: bytes) -> bool:
    """Tell whether a page's (decoded) content is PDF operators and nothing else; empty content is."""
    with pikepdf.new() as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # as above
        try:
            return _operators(scratch, content) is not None
        except _READING:
            return False


def holds_encryption_dictionary(pdf: pikepdf.Pdf) -> bool:
    """Tell whether some object is a standard security handler's dictionary (a trailer lost, say)."""
    for obj in pdf.objects:
        if isinstance(obj, Dictionary) and obj.get(Name.Filter) == Name.Standard and Name.U in obj:
            return True
    return False


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.get(Name.Contents)
    parts = contents if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    return b"\n".join(part.read_bytes() for part in parts)


def _operators(scratch: pikepdf.Pdf, content: bytes) -> int | None:
    """Return how many operators `content` holds; None if one is not a PDF operator or qpdf complained."""
    instructions = pikepdf.parse_content_stream(Stream(scratch, content))
    if scratch.get_warnings():
        return None
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInstruction):
            if instruction.operator.unparse() not in OPERATORS:
                return None
    return len(instructions)


def _streams(pdf: pikepdf.Pdf) -> list[Stream]:
    return [obj for obj in pdf.objects if isinstance(obj, Stream)]


def _decodes(stream: Stream) -> bool:
    filters = stream.get(Name.Filter)
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    if Name.Metadata == stream.get(Name.Type):
        stream.read_bytes().decode()  # raises on bytes no XMP packet holds
        return True
    if not any(name in _DECODED for name in names):
        return True  # raw, or an image codec: nothing qpdf could tell
    stream.read_bytes()
    return True


def _info_is_text(pdf: pikepdf.Pdf) -> bool:
    info = pdf.trailer.get(Name.Info)
    if not isinstance(info, Dictionary):
        return True
    return all(_is_text(bytes(value)) for value in info.values() if isinstance(value, String))


def _is_text(raw: bytes) -> bool:
    if raw.startswith(b"\xfe\xff"):
        try:
            text = raw[2:].decode("utf-16-be")
        except UnicodeDecodeError:
            return False
    else:
        text = raw.decode("latin-1")
    return all(char.isprintable() or char in "\t\n\r" for char in text)
