"""The name a file is listed and downloaded under: the one a person gave it, made safe, the same in both.

A name is kept as it was sent wherever that is safe (quotes, semicolons, any script: the
download header carries it exactly, RFC 6266/8187). What could do harm is changed, the same
way for the page that lists the file and for the header that names it: control and
invisible formatting characters (a line break would start a header of its own, a right-to-left
mark can disguise an extension) become a space, a folder separator becomes "_", a name that
would be hidden or empty gets a plain start, a long one is cut keeping its extension, and a
file is named by what it is (a PDF ends in .pdf whatever the name sent said).
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 200  # characters: a long name is cut, keeping its extension
_INVISIBLE = ("Cc", "Cf", "Zl", "Zp")  # controls, format marks, line and paragraph separators
_SEPARATORS = re.compile(r"[\\/]")
_EXTENSION_MAX = 10


def file_name(name: str, default: str = "berkas") -> str:
    """Return `name` safe to list and to save: nothing invisible, no folders, never hidden, not too long.

    It returns a name unchanged when given its own answer: what a page lists and what the
    download header says are the same text.
    """
    name = _SEPARATORS.sub("_", _visible(unicodedata.normalize("NFC", name))).strip(" ").rstrip(". ")
    if not name or name.startswith("."):
        name = default + name  # not a hidden file, never an empty name
    if len(name) > NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep = extension if dot and stem and len(extension) <= _EXTENSION_MAX else ""
        cut = (stem if keep else name)[: NAME_MAX - (len(keep) + 1 if keep else 0)].rstrip(" .")
        name = f"{cut}.{keep}" if keep else cut
    return name


def attachment_name(sent: str, extension: str, default: str = "lampiran") -> str:
    """Return the name of a file sent as `sent`, ending in the `extension` its content calls for.

    An extension the name had is replaced (a PDF sent as "a.html" is "a.pdf"); a last dot
    followed by something else ("Laporan v2.1 final") is part of the name.
    """
    name = file_name(sent, default)
    stem, dot, had = name.rpartition(".")
    if dot and stem and len(had) <= _EXTENSION_MAX and had.isalnum():
        name = stem
    return file_name(f"{name}.{extension}", default)


def _visible(name: str) -> str:
    """Return the name with each run of invisible characters made one space."""
    kept: list[str] = []
    hidden = False  # the last character was invisible
    for char in name:
        invisible = unicodedata.category(char) in _INVISIBLE
        if not (invisible and hidden):
            kept.append(" " if invisible else char)
        hidden = invisible
    return "".join(kept)
