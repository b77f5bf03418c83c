"""Pages whose ink is read from their content: every kind of operation a render could show.

`build` writes one page per entry of `CONTENT_PAGES`; each must be measured from its content
(none is declined) and its ink there must cover all a render finds. `DECLINED_PAGES` are
pages the content reader must leave to the render.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pikepdf
from pikepdf import Array, Dictionary, Name
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from watermark.pdf.mupdf import load_pymupdf

FONT = Path(__file__).resolve().parents[3] / "watermark" / "marks" / "fonts" / "DejaVuSansCondensed.ttf"
# Content either reader must decline (return None), never raise on: what it cannot follow.
BROKEN_CONTENTS = {
    "string not closed": b"BT /F1 12 Tf 50 50 Td (not closed Tj ET",
    "font missing": b"BT /Missing 12 Tf 50 50 Td (x) Tj ET",
    "Tm short": b"BT /F1 12 Tf 1 2 3 Tm (x) Tj ET",
    "l short": b"q 1 0 0 1 cm 0 0 m 10 l S Q",
    "garbage": b"BT /F1 12 Tf 50 50 Td (a) Tj ET \xff\xfe\x00 garbage }{",
    "inline image": b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",
    "shading": b"/Sh0 sh",
    "text without a font": b"BT (no font) Tj ET",
    "a blend mode": b"/GS0 gs 0 0 100 100 re f",
    "a number out of range": b"1 0 0 1 1e999 0 cm 0 0 m 10 10 l S",
    "a page-size black fill": b"0 0 595 842 re f",
}


def one_page(pdf: pikepdf.Pdf, content: bytes, **resources: object) -> pikepdf.Dictionary:
    """Return the one A4 page of `pdf` (new) showing `content`: Helvetica is /F1, a multiplying state /GS0."""
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    multiply = Dictionary(Type=Name.ExtGState, BM=Name.Multiply)
    page = Dictionary(
        Type=Name.Page,
        MediaBox=Array([0, 0, *A4]),
        Resources=Dictionary(Font=Dictionary(F1=font), ExtGState=Dictionary(GS0=multiply), **resources),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    return pdf.pages[0].obj


CONTENT_PAGES = (
    "text in the standard fonts at many sizes, spacings, scales and rises",
    "text in an embedded TrueType font, turned and slanted by the text matrix",
    "ruled table, thick polylines with sharp miter joins, curves, dashes, a hairline",
    "a small picture placed scaled and turned, with a caption",
    "a form drawn three times, moved and scaled",
    "text and drawings clipped to half their extent",
    "a white page-size background and white boxes over text",
    "stroked, filled-and-stroked and invisible text; pale and dark greys; colours",
    "kerned TJ arrays, Td, TD, T*, ' and \" moving the lines",
    "/Rotate 90 with text and a rule along its foot",
    "a crop box offset inside a larger media box, ink cut by its edges",
    "/Rotate 270 with a crop box",
    "annotations: a note, a square, a highlight, a free text",
    "text in a composite (Type 0, Identity-H) font",
)
DECLINED_PAGES = (
    "a full-page scan",
    "a shading",
    "a dark background over the whole page",
)


def _rng_picture(width: int, height: int) -> ImageReader:
    picture = np.full((height, width, 3), 255, dtype=np.uint8)
    picture[height // 4 : height // 2, width // 8 : width // 2] = (200, 30, 30)
    picture[height // 2 :, width // 2 :] = (20, 20, 120)
    buffer = io.BytesIO()
    Image.fromarray(picture).save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def _standard_text(pdf: canvas.Canvas) -> None:
    y = 780.0
    for font, size in (("Helvetica", 9), ("Times-Italic", 14), ("Courier-Bold", 7), ("Helvetica-Bold", 30)):
        pdf.setFont(font, size)
        pdf.drawString(40, y, "Jumlah Penduduk WWW MMM 2025 @#% ÄÖÜ")
        y -= size * 1.6
    text = pdf.beginText(40, 600)
    text.setFont("Times-Roman", 12)
    text.setCharSpace(3)
    text.textLine("huruf renggang karakter")
    text.setCharSpace(-1.5)
    text.textLine("huruf rapat karakter negatif")
    text.setCharSpace(0)
    text.setWordSpace(25)
    text.textLine("kata kata yang renggang sekali")
    text.setWordSpace(0)
    text.setHorizScale(250)
    text.textLine("skala 250")
    text.setHorizScale(40)
    text.textLine("skala empat puluh persen")
    text.setHorizScale(100)
    text.setRise(9)
    text.textLine("naik sembilan")
    text.setRise(-9)
    text.textLine("turun sembilan")
    pdf.drawText(text)
    pdf.setFont("Helvetica", 4)
    pdf.drawRightString(590, 12, "catatan kaki kecil di sudut")


def _embedded_text(pdf: canvas.Canvas) -> None:
    pdfmetrics.registerFont(TTFont("DejaVuInk", str(FONT)))
    pdf.setFont("DejaVuInk", 16)
    pdf.drawString(50, 760, "Statistik Daerah — ÀÉÎÕÜ ŞĞ ∑∫√")
    for angle in (30, 90, 135, 200):
        pdf.saveState()
        pdf.translate(300, 420)
        pdf.rotate(angle)
        pdf.drawString(20, 0, f"diputar {angle} derajat")
        pdf.restoreState()
    text = pdf.beginText()
    text.setTextOrigin(60, 120)
    text.setFont("DejaVuInk", 20)
    pdf.drawText(text)
    pdf.saveState()
    pdf.transform(1, 0, 0.6, 1, 60, 150)  # slanted
    pdf.setFont("DejaVuInk", 20)
    pdf.drawString(0, 0, "miring ke kanan jjj ggg")
    pdf.restoreState()


def _drawings(pdf: canvas.Canvas) -> None:
    width, height = A4
    pdf.setLineWidth(0.5)
    for row in range(12):
        pdf.line(50, 700 - row * 14, width - 50, 700 - row * 14)
    pdf.setLineWidth(9)
    pdf.setLineJoin(0)
    pdf.setMiterLimit(10)
    path = pdf.beginPath()
    path.moveTo(80, 300)
    path.lineTo(160, 480)
    path.lineTo(240, 300)  # a sharp peak: its miter reaches far above the points
    pdf.drawPath(path, stroke=1, fill=0)
    pdf.setLineWidth(3)
    pdf.setLineCap(2)
    pdf.line(300, 200, 500, 260)
    pdf.setLineCap(0)
    pdf.setDash(6, 3)
    pdf.circle(400, 420, 60, stroke=1, fill=0)
    pdf.setDash()
    pdf.setFillColorRGB(0.2, 0.5, 0.2)
    path = pdf.beginPath()
    path.moveTo(60, 100)
    path.curveTo(120, 220, 260, -40, 330, 110)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.setLineWidth(0)  # the thinnest line a device can draw
    pdf.line(40, 40, width - 40, 60)


def _picture(pdf: canvas.Canvas) -> None:
    picture = _rng_picture(160, 100)
    pdf.drawImage(picture, 60, 560, 200, 125)
    pdf.saveState()
    pdf.translate(380, 300)
    pdf.rotate(35)
    pdf.drawImage(picture, 0, 0, 150, 90)
    pdf.restoreState()
    pdf.setFont("Helvetica", 8)
    pdf.drawString(60, 548, "Gambar 1. Luas panen padi menurut kecamatan")


def _forms(pdf: canvas.Canvas) -> None:
    pdf.beginForm("logo", lowerx=0, lowery=0, upperx=120, uppery=60)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(4, 30, "BPS KOTA")
    pdf.rect(0, 0, 120, 60, stroke=1, fill=0)
    pdf.endForm()
    for x, y, scale in ((40, 740, 1.0), (300, 500, 2.0), (100, 100, 0.5)):
        pdf.saveState()
        pdf.translate(x, y)
        pdf.scale(scale, scale)
        pdf.doForm("logo")
        pdf.restoreState()


def _clipped(pdf: canvas.Canvas) -> None:
    pdf.saveState()
    path = pdf.beginPath()
    path.rect(50, 400, 250, 300)
    pdf.clipPath(path, stroke=0, fill=0)
    pdf.setFont("Helvetica", 18)
    for row in range(20):
        pdf.drawString(40, 720 - row * 20, "terpotong oleh jalur klip " * 3)
    pdf.setLineWidth(6)
    pdf.line(20, 380, 580, 760)
    pdf.restoreState()
    pdf.setFont("Helvetica", 9)
    pdf.drawString(50, 60, "di luar klip")


def _white(pdf: canvas.Canvas) -> None:
    width, height = A4
    pdf.setFillGray(1)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.setFillGray(0)
    pdf.setFont("Helvetica", 11)
    for row in range(30):
        pdf.drawString(60, 780 - row * 16, "teks di bawah kotak putih " * 3)
    pdf.setFillGray(1)
    pdf.rect(60, 500, 300, 200, stroke=0, fill=1)
    pdf.setFillColorRGB(1, 1, 1)
    pdf.setFont("Helvetica-Bold", 40)
    pdf.drawString(60, 200, "PUTIH")
    pdf.setFillGray(0)
    pdf.drawString(60, 100, "Hitam")


def _modes(pdf: canvas.Canvas) -> None:
    # Invisible text last: the rendering mode outlives its text object.
    for row, (mode, gray) in enumerate(((1, 0), (2, 0.3), (0, 0.97), (0, 0.9), (0, 0.5), (3, 0))):
        text = pdf.beginText(40, 760 - row * 60)
        text.setFont("Helvetica-Bold", 36)
        text.setTextRenderMode(mode)
        pdf.setLineWidth(2.5)
        pdf.setFillGray(gray)
        pdf.setStrokeGray(gray)
        text.textLine(f"Mode {mode} abu {gray}")
        pdf.drawText(text)
        if row == 4:
            pdf.setFillColorRGB(0.9, 0.1, 0.1)
            pdf.drawString(40, 300, "merah")
            pdf.setFillColorCMYK(0, 0, 0, 0.2)
            pdf.drawString(40, 250, "CMYK abu")
            pdf.setFillColorCMYK(0.01, 0.0, 0.02, 0.0)
            pdf.drawString(40, 200, "nyaris putih")


RAW_TEXT = b"""BT /F1 10 Tf 14 TL 50 780 Td
[(Ta) 80 (bel) -300 (1) 120 (.) -2000 (Jauh) 400 (AV)] TJ
0 -20 Td (Baris dua) Tj T* (Baris tiga) Tj
30 -30 TD (Baris TD) Tj T* (setelah TD) Tj
(kutip tunggal) ' 5 2 (kutip ganda dengan spasi) "
/F1 24 Tf 2 0 0 1 60 300 Tm [(LEBAR) -500 (X)] TJ
0.5 0 0 3 60 150 Tm (TINGGI) Tj
ET
"""


def _raw_text_page(pdf: pikepdf.Pdf) -> None:
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica, Encoding=Name.WinAnsiEncoding)
    )
    page = pikepdf.Page(
        Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, 595, 842]),
            Resources=Dictionary(Font=Dictionary(F1=font)),
            Contents=pdf.make_stream(RAW_TEXT),
        )
    )
    pdf.pages.append(page)


def _foot(pdf: canvas.Canvas, width: float, label: str) -> None:
    pdf.setFont("Helvetica", 9)
    pdf.drawString(40, 30, label)
    pdf.line(40, 44, width - 40, 44)
    pdf.drawString(40, 780, "Judul di atas halaman")


def _scan(pdf: canvas.Canvas) -> None:
    page = np.full((842, 595), 232, dtype=np.uint8)
    page[100:700:12, 60:520] = 30
    buffer = io.BytesIO()
    Image.fromarray(page).save(buffer, format="PNG")
    buffer.seek(0)
    pdf.drawImage(ImageReader(buffer), 0, 0, *A4)


def build(path: Path) -> Path:
    """Write the content pages, then the declined pages, in the order of the two tuples."""
    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for draw in (_standard_text, _embedded_text, _drawings, _picture, _forms, _clipped, _white, _modes):
        draw(pdf)
        pdf.showPage()
    pdf.showPage()  # replaced by the raw text page below
    _foot(pdf, width, "diputar 90")  # /Rotate 90
    pdf.showPage()
    pdf.setPageSize((700, 900))  # cropped
    pdf.setFont("Helvetica", 12)
    for row in range(40):
        pdf.drawString(20, 880 - row * 15, "teks sampai ke tepi kotak potong " * 3)
    pdf.showPage()
    pdf.setPageSize(landscape(A4))  # /Rotate 270 and cropped
    _foot(pdf, landscape(A4)[0], "diputar 270")
    pdf.showPage()
    pdf.setPageSize(A4)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(60, 700, "teks yang disorot")  # annotations added below
    pdf.showPage()
    pdf.showPage()  # composite font text added below
    _scan(pdf)
    pdf.showPage()
    pdf.showPage()  # shading added below
    pdf.setFillGray(0.25)
    pdf.rect(0, 0, width, height, stroke=0, fill=1)
    pdf.showPage()
    pdf.save()
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        raw = pikepdf.Pdf.new()
        _raw_text_page(raw)
        doc.pages[8] = raw.pages[0]
        doc.pages[9].obj.Rotate = 90
        doc.pages[10].obj.CropBox = Array([80, 120, 620, 800])
        doc.pages[11].obj.Rotate = 270
        doc.pages[11].obj.CropBox = Array([30, 20, 800, 560])
        shading = Dictionary(
            ShadingType=2,
            ColorSpace=Name.DeviceGray,
            Coords=Array([0, 0, 595, 0]),
            Function=Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0]), C1=Array([1]), N=1),
        )
        doc.pages[15].obj.Resources = Dictionary(Shading=Dictionary(Sh0=shading))
        doc.pages[15].obj.Contents = doc.make_stream(b"q 0 0 595 400 re W n /Sh0 sh Q")
        doc.save(path)
    pymupdf = load_pymupdf()
    with pymupdf.open(path) as document:
        page = document[12]
        page.add_text_annot((400, 100), "Catatan")
        page.add_rect_annot(pymupdf.Rect(300, 300, 450, 380))
        page.add_highlight_annot(pymupdf.Rect(58, 130, 160, 145))
        page.add_freetext_annot(pymupdf.Rect(60, 600, 300, 650), "Teks bebas", fontsize=14)
        document[13].insert_text(
            (60, 200), "Komposit ÀÉÎ ∑√ 2025", fontsize=22, fontfile=str(FONT), fontname="DV"
        )
        data = document.tobytes()
    path.write_bytes(data)
    return path
