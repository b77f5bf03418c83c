"""Fonts for the stamp: a shipped Unicode face, fallbacks for other scripts, PDF subsets.

The stamp is set in DejaVu Sans Condensed, shipped beside this file (Latin with every
diacritic, Greek, Cyrillic and more). Characters it lacks are looked up in fallback
faces: files the caller names, TrueType fonts fontconfig knows on this machine, then
PyMuPDF's built-in Droid Sans Fallback (CJK). A character no face covers is drawn as
the empty glyph, but its ToUnicode entry still gives the real character to text
extraction. Glyphs are placed one by one: scripts that need shaping (Arabic joining,
Indic conjuncts) render as separate letters.
"""

from __future__ import annotations

import random
import secrets
import shutil
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from watermark.errors import N_, WatermarkError
from watermark.marks.fonts.truetype import FontError, TrueTypeFace
from watermark.pdf.mupdf import load_pymupdf

if TYPE_CHECKING:
    import pikepdf

PRIMARY_FONT = Path(__file__).with_name("DejaVuSansCondensed.ttf")
PAGE_SLOT = "\ue000"  # private-use character standing for the per-page text in templates
_FLAG_SYMBOLIC = 4  # the subsets map codes through their own cmap, not a standard encoding
_ESCAPES = {0x28: b"\\(", 0x29: b"\\)", 0x5C: b"\\\\", 0x0A: b"\\n", 0x0D: b"\\r"}


class Face:
    """One parsed TrueType face (each one its own: faces are equal only to themselves)."""

    __slots__ = ("label", "ttf", "source")

    def __init__(self, label: str, ttf: TrueTypeFace, source: str | bytes) -> None:
        self.label = label
        self.ttf = ttf
        self.source = source  # a file path, or the font program itself (for Pillow)

    def covers(self, ch: str) -> bool:
        """Tell whether this face has a glyph for `ch`."""
        return self.ttf.covers(ord(ch))

    def advance(self, ch: str) -> float:
        """Return the advance width of `ch` in thousandths of an em."""
        return self.ttf.advance(ord(ch))


@lru_cache(maxsize=16)
def load_face(path: str) -> Face:
    """Read a TrueType font file once per process."""
    return Face(Path(path).stem, TrueTypeFace(Path(path).read_bytes()), path)


@lru_cache(maxsize=1)
def _builtin_cjk_face() -> Face | None:
    """Return PyMuPDF's built-in CJK face, or None if PyMuPDF is unavailable."""
    try:
        pymupdf = load_pymupdf()
    except ImportError:  # pragma: no cover - pymupdf is a declared dependency
        return None
    program = bytes(pymupdf.Font("cjk").buffer)
    try:
        return Face("DroidSansFallback", TrueTypeFace(program), program)
    except FontError:  # pragma: no cover - PyMuPDF's own font
        return None


@lru_cache(maxsize=256)
def _fontconfig_files(ch: str) -> tuple[str, ...]:
    """Return font files fontconfig says cover `ch` (empty without fontconfig)."""
    import subprocess  # only for a character the stamp's own font lacks (5 ms less to start)

    fc_list = shutil.which("fc-list")
    if not fc_list:
        return ()
    try:
        out = subprocess.run(
            [fc_list, f":charset={ord(ch):x}", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    # TrueType outlines only (truetype.py); prefer regular sans faces.
    files = [f for f in files if f.lower().endswith((".ttf", ".ttc"))]
    return tuple(sorted(files, key=lambda f: ("Bold" in f or "Italic" in f, "Serif" in f, f)))


def _try_face(path: str) -> Face | None:
    try:
        return load_face(path)
    except (FontError, OSError):
        return None


def choose_faces(text: str, extra_fonts: tuple[str, ...] = ()) -> list[Face]:
    """Return the primary face and the fallbacks needed for the characters of `text`."""
    faces = [load_face(str(PRIMARY_FONT))]
    missing = {ch for ch in text if not ch.isspace() and not faces[0].covers(ch)}
    candidates = [lambda p=p: _try_face(p) for p in extra_fonts]
    for ch in sorted(missing):
        candidates.extend(lambda p=p: _try_face(p) for p in _fontconfig_files(ch)[:3])
        if len(candidates) > 24:
            break
    candidates.append(_builtin_cjk_face)
    for make in candidates:
        if not missing:
            break
        face = make()
        if face is not None and face not in faces and any(face.covers(c) for c in missing):
            faces.append(face)
            missing = {c for c in missing if not face.covers(c)}
    return faces


class _Subset:
    """Up to 255 characters of one face, each with its own one-byte code."""

    __slots__ = ("face", "resource_name", "free_codes", "codes")

    def __init__(self, face: Face, resource_name: str, free_codes: list[int]) -> None:
        self.face = face
        self.resource_name = resource_name
        self.free_codes = free_codes
        self.codes: dict[str, int] = {}


class FontSet:
    """The fonts of one stamp: assigns codes, measures and encodes text, embeds subsets.

    Codes are assigned in a random order per document, so the stamp's text cannot be
    found by searching content streams for plain ASCII.
    """

    def __init__(self, faces: list[Face], name_prefix: str) -> None:
        self._faces = faces
        self._prefix = name_prefix
        self._subsets: list[_Subset] = []
        self._slot_of: dict[str, _Subset] = {}
        self._advance: dict[str, float] = {}  # thousandths of an em; the layout measures often
        self._rng = random.Random(secrets.randbits(64))
        self._frozen = False

    @classmethod
    def for_text(cls, text: str, name_prefix: str, extra_fonts: tuple[str, ...] = ()) -> FontSet:
        """Build a font set able to set every character of `text`."""
        fonts = cls(choose_faces(text, extra_fonts), name_prefix)
        fonts.add(text)
        return fonts

    def _face_for(self, ch: str) -> Face:
        return next((f for f in self._faces if f.covers(ch)), self._faces[0])

    def add(self, text: str) -> None:
        """Assign codes to every new character of `text`."""
        for ch in text:
            if ch in self._slot_of or ch == PAGE_SLOT:
                continue
            if self._frozen:
                raise WatermarkError(
                    N_("The character %(char)s is not registered in the stamp's font."),
                    code="bug",
                    char=repr(ch),
                )
            face = self._face_for(ch)
            subset = next((s for s in self._subsets if s.face is face and s.free_codes), None)
            if subset is None:
                codes = list(range(1, 256))
                self._rng.shuffle(codes)
                name = f"{self._prefix}F{len(self._subsets)}"
                subset = _Subset(face, name, codes)
                self._subsets.append(subset)
            subset.codes[ch] = subset.free_codes.pop()
            self._slot_of[ch] = subset
            self._advance[ch] = face.advance(ch)

    def width(self, text: str, size: float) -> float:
        """Return the width of `text` set at `size` points."""
        return sum(map(self._advance.__getitem__, text)) * size / 1000.0

    def show(self, text: str, size: float) -> bytes:
        """Return text-showing operators for `text`, switching fonts where needed.

        PAGE_SLOT is emitted as a NUL byte inside the primary font's string, for the
        caller to replace with the encoded page text.
        """
        out: list[bytes] = []
        current: _Subset | None = None
        chunk: list[bytes] = []
        for ch in text:
            subset = self._subsets[0] if ch == PAGE_SLOT else self._slot_of[ch]
            if subset is not current:
                if chunk:
                    out.append(b"(" + b"".join(chunk) + b")Tj ")
                out.append(f"/{subset.resource_name} {num(size)} Tf ".encode())
                current, chunk = subset, []
            chunk.append(b"\0" if ch == PAGE_SLOT else self._escaped(subset, ch))
        if chunk:
            out.append(b"(" + b"".join(chunk) + b")Tj")
        return b"".join(out)

    def encode_primary(self, text: str) -> bytes:
        """Return `text` as escaped string bytes in the first font (for the page slot)."""
        return b"".join(self._escaped(self._slot_of[ch], ch) for ch in text)

    @staticmethod
    def _escaped(subset: _Subset, ch: str) -> bytes:
        code = subset.codes[ch]
        return _ESCAPES.get(code) or bytes((code,))

    def embed(self, pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
        """Freeze the code tables and return resource name -> font object in `pdf`."""
        from pikepdf import Array, Dictionary, Name

        from watermark.pdf.streams import flate_stream

        self._frozen = True
        fonts: dict[str, pikepdf.Object] = {}
        for subset in self._subsets:
            table = [0] * 256
            for ch, code in subset.codes.items():
                table[code] = ord(ch)
            ttf = subset.face.ttf
            try:
                program = ttf.makeSubset(table)
            except FontError as exc:
                raise WatermarkError(
                    N_("The font %(font)s cannot be embedded: %(detail)s"),
                    code="font",
                    font=subset.face.label,
                    detail=str(exc),
                ) from exc
            tag = "".join(self._rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(6))
            base = Name(f"/{tag}+{ttf.name.decode('latin-1').replace(' ', '')}")
            file_stream = flate_stream(pdf, program, Length1=len(program))
            descriptor = Dictionary(
                Type=Name.FontDescriptor,
                FontName=base,
                Flags=_FLAG_SYMBOLIC,
                FontBBox=Array([round(v) for v in ttf.bbox]),
                ItalicAngle=ttf.italicAngle,
                Ascent=round(ttf.ascent),
                Descent=round(ttf.descent),
                CapHeight=round(ttf.capHeight),
                StemV=round(ttf.stemV),
                FontFile2=file_stream,
            )
            widths = [round(subset.face.advance(chr(u))) if u else 0 for u in table]
            fonts[subset.resource_name] = pdf.make_indirect(
                Dictionary(
                    Type=Name.Font,
                    Subtype=Name.TrueType,
                    BaseFont=base,
                    FirstChar=0,
                    LastChar=255,
                    Widths=Array(widths),
                    FontDescriptor=pdf.make_indirect(descriptor),
                    ToUnicode=flate_stream(pdf, _to_unicode_cmap(subset.codes)),
                )
            )
        return fonts


def _to_unicode_cmap(codes: dict[str, int]) -> bytes:
    """Return a ToUnicode CMap mapping each one-byte code back to its character."""
    entries = sorted((code, ch) for ch, code in codes.items())
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <00> <FF> endcodespacerange",
    ]
    for start in range(0, len(entries), 100):  # at most 100 entries per block
        block = entries[start : start + 100]
        lines.append(f"{len(block)} beginbfchar")
        lines.extend(f"<{code:02X}> <{ch.encode('utf-16-be').hex().upper()}>" for code, ch in block)
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    return "\n".join(lines).encode()


def num(value: float) -> str:
    """Format a number for a content stream: short, no exponent."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
