"""What a copy handed out may not carry: scripts, launchers, form senders, attachments, media.

A publication is read and printed; nothing in it should run, reach out or unpack. The PDF is
cleaned in memory where the format lets an action fire or a file hide (PDF 32000-1, 12.6.2
and 12.6.3): the catalog's open action, its additional actions and named scripts, embedded
files, the interactive form (its XFA, its fields' actions), every page's additional actions
and annotations, and the outline's items. Links to the web and within the document stay.
What is cut off is unreachable afterwards, and a full rewrite (pikepdf's save) leaves it out.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from watermark.errors import N_, WatermarkError


class ActiveContent(enum.StrEnum):
    """A kind of thing removed; one entry of a removal list per thing."""

    JAVASCRIPT = "javascript"
    LAUNCH = "launch"  # opens a program, or a file outside the PDF
    FORM_SUBMIT = "form_submit"  # sends form data away, or reads data in
    REMOTE_LINK = "remote_link"  # opens another PDF, or one embedded in this one
    MEDIA = "media"  # video, sound, 3D, rich media
    EMBEDDED_FILE = "embedded_file"
    AUTOMATIC_ACTION = "automatic_action"  # a harmless action, but run by itself (a page opened, ...)
    OTHER_ACTION = "other_action"  # an action of a kind not known to be harmless
    XFA = "xfa"  # an XFA form: a second document, with scripts of its own
    PORTFOLIO = "portfolio"  # a portfolio's layout, shown instead of the pages


# Actions that only move within the document, open a web address or change what is shown.
HARMLESS_ACTIONS = frozenset(
    {"/GoTo", "/URI", "/Named", "/Thread", "/ResetForm", "/Hide", "/SetOCGState", "/Trans"}
)
ACTION_KINDS = {
    "/JavaScript": ActiveContent.JAVASCRIPT,
    "/Launch": ActiveContent.LAUNCH,
    "/SubmitForm": ActiveContent.FORM_SUBMIT,
    "/ImportData": ActiveContent.FORM_SUBMIT,
    "/GoToR": ActiveContent.REMOTE_LINK,
    "/GoToE": ActiveContent.REMOTE_LINK,
    "/Rendition": ActiveContent.MEDIA,
    "/Movie": ActiveContent.MEDIA,
    "/Sound": ActiveContent.MEDIA,
    "/RichMediaExecute": ActiveContent.MEDIA,
    "/GoTo3DView": ActiveContent.MEDIA,
}
MEDIA_ANNOTATIONS = frozenset({"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})
# Name trees of the catalog's /Names that hold scripts, files or media (the rest: destinations...).
NAME_TREES = ("/JavaScript", "/EmbeddedFiles", "/AlternatePresentations", "/Renditions")
# Keys of a removed annotation that could still fire or unpack through another reference to it
# (a structure tree's object reference, a popup's parent).
ANNOTATION_PAYLOAD = (
    "/A",
    "/AA",
    "/FS",
    "/RichMediaContent",
    "/RichMediaSettings",
    "/Movie",
    "/Sound",
    "/3DD",
)
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript"})
WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # the only addresses a link may keep
_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# Ignored by browsers and viewers in an address ("java\tscript:"): controls, spaces, zero widths.
_INVISIBLE_TEXT = re.compile(r"[\x00-\x20\ufeff\u200b-\u200d\u2060]")
MAX_DEPTH = 64  # of name trees, field trees and action chains: deeper is a trap, not a document


def remove_active_content(pdf: pikepdf.Pdf) -> list[ActiveContent]:
    """Strip an open PDF of what runs, reaches out, plays or unpacks; list what went, one entry each."""
    sweep = _Sweep()
    root = pdf.Root
    sweep.catalog(root)
    for page in pdf.pages:
        sweep.page(page.obj)
    sweep.form(root)
    sweep.outline(root)
    return sweep.removed


def clean_copy(source: Path, target: Path) -> list[ActiveContent]:
    """Write `source` without its active content to `target`; list what went (nothing written if nothing)."""
    try:
        with pikepdf.open(source) as pdf:
            removed = remove_active_content(pdf)
            if removed:
                # The same source gives the same bytes: taking a file in twice stores one copy.
                pdf.save(target, deterministic_id=True)
    except pikepdf.PdfError as exc:
        raise WatermarkError(
            N_("The PDF cannot be cleaned: %(detail)s"), code="damaged", detail=str(exc)
        ) from None
    return removed


class _Sweep:
    """One pass over a document, with what it removed and the objects it has judged."""

    def __init__(self) -> None:
        self.removed: list[ActiveContent] = []
        self.verdicts: dict[tuple[int, int], bool] = {}  # action (indirect) -> may it stay?
        self.gone: set[tuple[int, int]] = set()  # annotations taken off their pages
        self.files: set[tuple[int, int]] = set()  # embedded files (their file specifications) noted

    def catalog(self, root: pikepdf.Object) -> None:
        """Clean the document-wide entries: open action, additional actions, name trees, portfolio."""
        opening = root.get("/OpenAction")
        if opening is not None and not self.action_stays(opening):
            del root["/OpenAction"]
        self.additional_actions(root)
        names = root.get("/Names")
        if isinstance(names, Dictionary):
            for key in NAME_TREES:
                if key in names:
                    self._tree(key, _tree_values(names[key]))
                    del names[key]
        if "/Collection" in root:
            del root["/Collection"]
            self.removed.append(ActiveContent.PORTFOLIO)
        if "/URI" in root:
            del root["/URI"]  # a base address for relative links (file:///… would make them local)
        self.associated_files(root)

    def page(self, page: pikepdf.Object) -> None:
        """Clean a page: its additional actions, associated files and annotations."""
        self.additional_actions(page)
        self.associated_files(page)
        annots = page["/Annots"] if "/Annots" in page else None
        if not isinstance(annots, Array):
            return
        kept = [annot for annot in annots if self.annotation_stays(annot)]
        if self.gone:  # a popup shows the note of its parent: it goes with a parent taken away
            kept = [annot for annot in kept if not self._popup_of_gone(annot)]
        if len(kept) != len(annots):
            page["/Annots"] = Array(kept)

    def form(self, root: pikepdf.Object) -> None:
        """Clean the interactive form: its XFA and every field's actions; drop fields taken off pages."""
        form = root.get("/AcroForm")
        if not isinstance(form, Dictionary):
            return
        if "/XFA" in form:
            del form["/XFA"]
            self.removed.append(ActiveContent.XFA)
        if "/NeedsRendering" in form:
            del form["/NeedsRendering"]  # it asks viewers to draw the XFA just removed
        fields = form.get("/Fields")
        if isinstance(fields, Array):
            kept = self._fields(fields, set(), 0)
            if kept is not None:
                form["/Fields"] = kept

    def outline(self, root: pikepdf.Object) -> None:
        """Clean the actions of the outline's items (bookmarks); the items stay."""
        outlines = root.get("/Outlines")
        if not isinstance(outlines, Dictionary):
            return
        stack, seen = [outlines.get("/First")], set()
        while stack:
            item = stack.pop()
            if not isinstance(item, Dictionary) or (item.is_indirect and item.objgen in seen):
                continue
            if item.is_indirect:
                seen.add(item.objgen)
            action = item.get("/A")
            if action is not None and not self.action_stays(action):
                del item["/A"]
            stack += [item.get("/Next"), item.get("/First")]

    def annotation_stays(self, annot: pikepdf.Object) -> bool:
        """Clean one annotation; tell whether it stays on its page."""
        if not isinstance(annot, Dictionary):
            return True  # not an annotation: nothing can fire from it
        if self.gone and annot.is_indirect and annot.objgen in self.gone:
            return False
        subtype = _name(annot.get("/Subtype"))
        if subtype == "/FileAttachment":
            self._file(annot.get("/FS", annot))
            return self._take_off(annot)
        if subtype in MEDIA_ANNOTATIONS:
            self.removed.append(ActiveContent.MEDIA)
            return self._take_off(annot)
        self.additional_actions(annot)
        action = annot["/A"] if "/A" in annot else None
        if action is not None and not self.action_stays(action):
            if subtype in ("/Link", "/Widget"):
                return self._take_off(annot)  # a link or a button that did nothing else
            del annot["/A"]
        return True

    def action_stays(self, action: pikepdf.Object, depth: int = 0) -> bool:
        """Judge an action and the actions chained after it; note what may not stay."""
        if not isinstance(action, Dictionary):
            return True  # a destination (an array, a name): a move within the document
        key = action.objgen if action.is_indirect else None
        if key is not None and key in self.verdicts:
            return self.verdicts[key]
        kind = _action_kind(action)
        if key is not None:
            self.verdicts[key] = kind is None  # settled before the chain: a loop ends here
        if kind is not None:
            self.removed.append(kind)
        self._chain(action, depth)
        return kind is None

    def additional_actions(self, holder: pikepdf.Object) -> None:
        """Remove the actions a viewer runs by itself (a page opened, a field left, a file printed)."""
        if "/AA" not in holder:  # `in` first: pikepdf answers a missing key to `get` four times slower
            return
        actions = holder["/AA"]
        if isinstance(actions, Dictionary):
            for action in actions.values():
                if isinstance(action, Dictionary) and self.action_stays(action):
                    self.removed.append(ActiveContent.AUTOMATIC_ACTION)
        del holder["/AA"]

    def associated_files(self, holder: pikepdf.Object) -> None:
        """Remove the files associated with a document or a page (PDF 2.0): they are embedded files."""
        if "/AF" not in holder:
            return
        files = holder["/AF"]
        for filespec in files if isinstance(files, Array) else [files]:
            self._file(filespec)
        del holder["/AF"]

    def _tree(self, key: str, values: list[pikepdf.Object]) -> None:
        """Note what a removed name tree held: scripts, files, or media."""
        for value in values:
            if key == "/JavaScript":
                self.action_stays(value)
            elif key == "/EmbeddedFiles":
                self._file(value)
            else:
                self.removed.append(ActiveContent.MEDIA)

    def _file(self, filespec: pikepdf.Object) -> None:
        """Note an embedded file removed, once however many places named it."""
        if isinstance(filespec, Dictionary) and filespec.is_indirect:
            if filespec.objgen in self.files:
                return
            self.files.add(filespec.objgen)
        self.removed.append(ActiveContent.EMBEDDED_FILE)

    def _chain(self, action: pikepdf.Object, depth: int) -> None:
        """Judge the actions after this one (/Next); drop those that may not stay."""
        if "/Next" not in action:
            return
        chained = action["/Next"]
        if depth >= MAX_DEPTH:
            del action["/Next"]
            self.removed.append(ActiveContent.OTHER_ACTION)
            return
        if isinstance(chained, Array):
            kept = [a for a in list(chained) if self.action_stays(a, depth + 1)]
            if len(kept) != len(chained):
                action["/Next"] = Array(kept)
        elif not self.action_stays(chained, depth + 1):
            del action["/Next"]

    def _take_off(self, annot: pikepdf.Object) -> bool:
        """Empty an annotation of what could fire or unpack, and note it is gone; return False."""
        for key in ANNOTATION_PAYLOAD:
            if key in annot:
                del annot[key]
        if annot.is_indirect:
            self.gone.add(annot.objgen)
        return False

    def _popup_of_gone(self, annot: pikepdf.Object) -> bool:
        if not isinstance(annot, Dictionary) or _name(annot.get("/Subtype")) != "/Popup":
            return False
        parent = annot.get("/Parent")
        return isinstance(parent, Dictionary) and parent.is_indirect and parent.objgen in self.gone

    def _fields(self, fields: pikepdf.Array, seen: set, depth: int) -> pikepdf.Array | None:
        """Clean a list of fields and their kids; return the list without the removed ones, or None."""
        kept: list[pikepdf.Object] = []
        for field in fields:
            if isinstance(field, Dictionary) and field.is_indirect:
                if field.objgen in self.gone:
                    continue  # a widget taken off its page (a submit button, say)
                if field.objgen in seen:
                    kept.append(field)
                    continue
                seen.add(field.objgen)
            if isinstance(field, Dictionary) and depth < MAX_DEPTH:
                self._field(field, seen, depth)
            kept.append(field)
        return Array(kept) if len(kept) != len(fields) else None

    def _field(self, field: pikepdf.Object, seen: set, depth: int) -> None:
        """Clean one field: its additional actions, a widget's action found on no page, its kids."""
        self.additional_actions(field)
        action = field.get("/A")
        if action is not None and not self.action_stays(action):
            del field["/A"]
        kids = field.get("/Kids")
        if isinstance(kids, Array):
            kept = self._fields(kids, seen, depth + 1)
            if kept is not None:
                field["/Kids"] = kept


def _action_kind(action: pikepdf.Object) -> ActiveContent | None:
    """Return what kind of active content an action is, None if it is harmless."""
    kind = _name(action.get("/S"))
    if kind == "/URI":
        return _address_kind(action.get("/URI"))
    if kind in HARMLESS_ACTIONS:
        return None
    return ACTION_KINDS.get(kind, ActiveContent.OTHER_ACTION)


def _address_kind(address: pikepdf.Object | None) -> ActiveContent | None:
    """Return what a link's address does when it is not a web, mail or telephone address."""
    if not isinstance(address, pikepdf.String):
        return None  # no address: a viewer opens nothing
    # str() reads a text string as written (UTF-16 or UTF-8 after a byte-order mark, else
    # PDFDocEncoding); the bytes alone would hide "javascript:" behind the mark.
    text = _INVISIBLE_TEXT.sub("", str(address)).lower()
    found = _SCHEME.match(text)
    scheme = found.group(1) if found else ""
    if scheme in SCRIPT_SCHEMES:
        return ActiveContent.JAVASCRIPT
    if scheme in WEB_SCHEMES:
        return None
    # A local file, a Windows share, data, or an address with no scheme (taken relative to the
    # file's own place, a folder on the reader's machine): each opens something there.
    return ActiveContent.LAUNCH


def _tree_values(tree: pikepdf.Object) -> list[pikepdf.Object]:
    """Return the values of a name tree (none if it is not one)."""
    values: list[pikepdf.Object] = []
    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary) or (node.is_indirect and node.objgen in seen):
            continue
        if node.is_indirect:
            seen.add(node.objgen)
        names, kids = node.get("/Names"), node.get("/Kids")
        values += list(names)[1::2] if isinstance(names, Array) else []
        stack += list(kids) if isinstance(kids, Array) else []
    return values


def _name(value: pikepdf.Object | None) -> str:
    return str(value) if isinstance(value, Name) else ""
