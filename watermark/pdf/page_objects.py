"""Joining the stamp to a page's objects without editing what other pages share.

Publications often share one /Resources dictionary, one XObject group or one content
stream between pages of different sizes. The stamp adds its resources once per shared
object, gives each page its own /Contents array around the original streams, and only
strips a 7-bit armour layer from a content stream (never decoding the publication's data).
"""

from __future__ import annotations

import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name

# Names made once: pikepdf makes a new Name for each `Name.X`, and every page asks for these.
_RESOURCES, _XOBJECT, _CONTENTS = Name.Resources, Name.XObject, Name.Contents
_FILTER, _DECODE_PARMS, _FLATE = Name.Filter, Name.DecodeParms, Name.FlateDecode


def add_resources(page: pikepdf.Dictionary, shared: dict, seen: set) -> None:
    """Add the stamp's font, QR and transparency resources to a page's /Resources."""
    resources = page.get(_RESOURCES)
    if not isinstance(resources, Dictionary):
        resources = page[_RESOURCES] = Dictionary()
    elif resources.is_indirect:
        # Publications often share one /Resources between all pages: fill it once.
        if resources.objgen in seen:
            return
        seen.add(resources.objgen)
    for category, entries in shared.items():
        group = resources.get(category)
        if not isinstance(group, Dictionary):
            resources[category] = Dictionary(entries)
            continue
        if group.is_indirect:
            if group.objgen in seen:
                continue
            seen.add(group.objgen)
        for name, obj in entries.items():
            group[name] = obj


def add_form(page: pikepdf.Dictionary, name: str, form: pikepdf.Object) -> None:
    """Make a form of ours reachable from a page, even one sharing /Resources with pages of other sizes."""
    resources = page[_RESOURCES]
    group = resources.get(_XOBJECT)
    if not isinstance(group, Dictionary):
        group = resources[_XOBJECT] = Dictionary()
    group["/" + name] = form


def wrap_contents(
    page: pikepdf.Dictionary, opening: pikepdf.Object, stamp: pikepdf.Object
) -> list[pikepdf.Stream]:
    """Make /Contents [q, original..., Q+stamp] without editing streams pages may share."""
    contents = page.get(_CONTENTS)
    if isinstance(contents, Array):
        original = [c for c in contents if isinstance(c, pikepdf.Stream)]
    elif isinstance(contents, pikepdf.Stream):
        original = [contents]
    else:
        original = []
    page[_CONTENTS] = Array([opening, *original, stamp])
    return original


ARMOUR = (Name.ASCII85Decode, Name.ASCIIHexDecode)


def scratch_stream(pdf: pikepdf.Pdf) -> pikepdf.Stream:
    """Return an empty stream of the document for `unarmour` (not written: nothing refers to it)."""
    return pikepdf.Stream(pdf, b"")


def unarmour(scratch: pikepdf.Stream, stream: pikepdf.Stream, seen: set, inner: bytes | None = None) -> None:
    """Strip an ASCII85/hex layer from a content stream, keeping its Flate data as it is.

    Some producers (reportlab among them) wrap every page's content in ASCII85, a 7-bit
    armour that costs a quarter more bytes. Dropping it keeps the stamped copy no larger
    than the source without decompressing and recompressing the publication. `scratch` is a
    stream of the same document that nothing refers to, rewritten for each armour decoded
    (`scratch_stream`): a new stream each time made this call a third dearer. `inner`: the
    stream's data with its ASCII85 armour already taken off (a first stamp's foot reader
    decodes it), so it is not decoded twice.
    """
    filters = stream.get(_FILTER)
    if not isinstance(filters, Array) or len(filters) == 0 or filters[0] not in ARMOUR:
        return
    if stream.objgen in seen:
        return
    seen.add(stream.objgen)
    rest = [f for f in list(filters)[1:] if isinstance(f, Name)]
    if len(rest) != len(filters) - 1:
        return  # a filter that is not a name: the stream is broken, leave it as it is
    # qpdf decodes just the first filter when handed a stream that names only it.
    if inner is None:
        armour = ARMOUR[0] if filters[0] == ARMOUR[0] else ARMOUR[1]
        scratch.write(stream.read_raw_bytes(), filter=armour, type_check=False)
        inner = scratch.read_bytes()
    parms = stream[_DECODE_PARMS] if _DECODE_PARMS in stream else None
    rest_parms = list(parms)[1:] if isinstance(parms, Array) else []
    # The filters are checked above: pikepdf's own checks of them cost a third of this call.
    if not rest:
        stream.write(zlib.compress(inner, 6), filter=_FLATE, type_check=False)
    elif len(rest) == 1:
        parm = rest_parms[0] if rest_parms and isinstance(rest_parms[0], Dictionary) else None
        stream.write(inner, filter=rest[0], decode_parms=parm, type_check=False)
    else:
        stream.write(inner, filter=Array(rest), decode_parms=Array(rest_parms) if rest_parms else None)
