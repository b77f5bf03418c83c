"""The translation catalogues for text outside any page: files, the command line, the hot folder.

The catalogues' sources are the web shell's (`webapp/translations/`, extracted and merged by
`scripts/i18n`): read here as data by their path, so that a process needs no web app to word
a refusal in Indonesian first. Each process compiles them into the instance folder when they
changed (the web app's Flask-Babel reads the same compiled files).
"""

from __future__ import annotations

import io
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from library.errors import PustakaError

if TYPE_CHECKING:
    from babel.support import NullTranslations

SOURCE_DIR = Path(__file__).resolve().parent.parent / "webapp" / "translations"


def compile_catalogues(out_dir: Path, source_dir: Path = SOURCE_DIR) -> Path:
    """Compile every .po catalogue newer than its .mo into out_dir; return out_dir."""
    for po in source_dir.glob("*/LC_MESSAGES/*.po"):
        mo = out_dir / po.relative_to(source_dir).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_name(f".{mo.name}.{os.getpid()}.{secrets.token_hex(4)}")
        tmp.write_bytes(_compiled(po))
        os.replace(tmp, mo)  # several processes may start at once
    return out_dir


_COMPILED: dict[Path, tuple[tuple[int, int], bytes]] = {}


def _compiled(po: Path) -> bytes:
    """Return a .po catalogue compiled, once per process for each version of the file."""
    info = po.stat()
    version = (info.st_mtime_ns, info.st_size)
    kept = _COMPILED.get(po)
    if kept is None or kept[0] != version:
        with open(po, "rb") as handle:
            catalog = read_po(handle, locale=po.parts[-3])
        out = io.BytesIO()
        write_mo(out, catalog, use_fuzzy=False)
        kept = _COMPILED[po] = (version, out.getvalue())
    return kept[1]


def indonesian_catalogue(compiled_dir: Path) -> NullTranslations:
    """Return the Indonesian catalogue, for text outside any page (files, the CLI)."""
    from babel.support import Translations

    return Translations.load(str(compile_catalogues(compiled_dir)), ["id"])


def bilingual(error: PustakaError, compiled_dir: Path) -> str:
    """Return a domain error in Indonesian, then English, for text outside any page."""
    catalogue = indonesian_catalogue(compiled_dir)
    params = Lenient(error.params)
    indonesian = catalogue.gettext(error.message) % params
    english = error.message % params
    return indonesian if indonesian == english else f"{indonesian}\n\n{english}"


class Lenient(dict):
    """Values for %-formatting that never fail on a missing key."""

    def __missing__(self, key: str) -> str:
        return ""
