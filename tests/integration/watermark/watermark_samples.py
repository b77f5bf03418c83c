"""Sample PDFs for the watermark tests: tricky born-digital pages, scans, damaged files."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from watermark.marks.fonts import PRIMARY_FONT

# Page index -> what makes it tricky, in the born-digital sample.
BORN_DIGITAL_PAGES = (
    "plain A4 with a table, outline, link, note and form field",
    "/Rotate 90 landscape table",
    "/Rotate 180",
    "/Rotate 270",
    "CropBox offset inside a larger MediaBox",
    "resources and MediaBox inherited from the page tree",
    "A5 landscape (mixed sizes)",
    "image-only scan",
    "content that leaves its graphics state changed (no closing Q)",
)


def _table(pdf: canvas.Canvas, x: float, y: float, rows: int, title: str) -> None:
    pdf.setFont("Helvetica-Bold", 11)
    pdf.drawString(x, y + 18, title)
    pdf.setFont("Helvetica", 9)
    rng = random.Random(title)
    for row in range(rows):
        pdf.line(x, y + 9 - row * 14, x + 430, y + 9 - row * 14)
        pdf.drawString(x + 4, y - row * 14, f"Kecamatan {row + 1}")
        for col in range(4):
            pdf.drawRightString(x + 200 + col * 70, y - row * 14, f"{rng.randint(0, 99999):,}")
    pdf.line(x, y + 9 - rows * 14, x + 430, y + 9 - rows * 14)


def scan_image(text: str, size: tuple[int, int] = (1240, 1754)) -> Image.Image:
    """Return a grey, slightly blurred page picture, as a flatbed scan would give."""
    image = Image.new("L", size, 236)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(PRIMARY_FONT), 26)
    for line in range(34):
        draw.text(
            (150, 170 + line * 40), f"{text} baris {line + 1}: 12.345  67.890  3,14", fill=30, font=font
        )
    rng = random.Random(text)
    for _ in range(4000):  # dust
        draw.point((rng.randrange(size[0]), rng.randrange(size[1])), fill=rng.randrange(120, 220))
    return image.filter(ImageFilter.GaussianBlur(0.6))


def _draw_scan(pdf: canvas.Canvas, text: str, width: float, height: float) -> None:
    buffer = io.BytesIO()
    scan_image(text).convert("RGB").save(buffer, format="JPEG", quality=70)
    buffer.seek(0)
    pdf.drawImage(ImageReader(buffer), 0, 0, width, height)


def born_digital(path: Path) -> Path:
    """Write the nine-page sample of awkward pages, with outline, labels, link and form."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Kota Metro Dalam Angka 2025")
    pdf.setAuthor("BPS Kota Metro")
    width, height = A4
    titles = [
        "Tabel 1. Penduduk",
        "Tabel 2. Lanskap",
        "Tabel 3. Terbalik",
        "Tabel 4. Putar 270",
        "Tabel 5. CropBox",
        "Tabel 6. Warisan",
        "Tabel 7. A5",
        "Halaman pindaian",
        "Tabel 9. Q",
    ]
    for index, title in enumerate(titles):
        if index == 6:
            pdf.setPageSize(landscape(A5))
        else:
            pdf.setPageSize(A4)
        pdf.bookmarkPage(f"p{index}")
        pdf.addOutlineEntry(title, f"p{index}", level=0)
        if index == 7:
            _draw_scan(pdf, "Pindaian", width, height)
        elif index == 6:
            _table(pdf, 60, 330, 16, title)
        else:
            _table(pdf, 80, height - 110, 30, title)
            pdf.setFont("Helvetica", 10)
            pdf.drawCentredString(width / 2, 60, f"- {index + 1} -")
        if index == 0:
            pdf.linkURL("https://metrokota.bps.go.id", (80, 700, 300, 720), relative=0)
            pdf.textAnnotation("Catatan pustakawan", Rect=(400, 750, 420, 770), relative=0)
            pdf.acroForm.textfield(
                name="catatan", x=80, y=90, width=200, height=18, value="isian", borderWidth=1
            )
        pdf.showPage()
    pdf.save()
    _make_tricky(path)
    return path


def _make_tricky(path: Path) -> None:
    with pikepdf.open(path, allow_overwriting_input=True, inherit_page_attributes=False) as pdf:
        pages = pdf.pages
        pages[1].obj.Rotate = 90
        pages[2].obj.Rotate = 180
        pages[3].obj.Rotate = 270
        pages[4].obj.MediaBox = Array([-40, -30, 640, 880])
        pages[4].obj.CropBox = Array([60, 80, 540, 770])
        # Move page 6's resources and MediaBox up to a /Pages node of its own.
        page = pages[5].obj
        root_pages = pdf.Root.Pages
        kids = root_pages.Kids
        node = pdf.make_indirect(
            Dictionary(
                Type=Name.Pages,
                Kids=Array([page]),
                Count=1,
                Parent=root_pages,
                Resources=page.Resources,
                MediaBox=page.MediaBox,
            )
        )
        del page.Resources
        del page.MediaBox
        page.Parent = node
        kids[5] = node
        # A page whose content ends with the graphics state changed: a careless
        # stamp would be drawn scaled and shifted.
        last = pages[8].obj
        last.Contents = Array([last.Contents, pikepdf.Stream(pdf, b"q 0.5 0 0 0.5 300 400 cm 0 0 1 rg")])
        pdf.Root.PageLabels = Dictionary(
            Nums=Array(
                [
                    0,
                    Dictionary(S=Name("/r")),
                    2,
                    Dictionary(S=Name.D, St=1, P=pikepdf.String("T-")),
                ]
            )
        )
        pdf.save(path)


def scanned(path: Path, pages: int = 2) -> Path:
    """Write an image-only publication, as a scanner makes one."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        _draw_scan(pdf, f"Pindaian {number}", *A4)
        pdf.showPage()
    pdf.save()
    return path


def simple(path: Path, pages: int = 3) -> Path:
    """Write a small text publication."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        _table(pdf, 80, A4[1] - 110, 25, f"Tabel {number}. Penduduk menurut kecamatan")
        pdf.showPage()
    pdf.save()
    return path


def broken_xref(source: Path, path: Path) -> Path:
    """Write `source` with a wrong startxref offset and mangled xref table."""
    data = source.read_bytes()
    data = re.sub(rb"startxref\s+\d+", b"startxref\n999999", data)
    data = data.replace(b"xref\n0 ", b"xrfe\n0 ", 1)
    path.write_bytes(data)
    return path


def lost_page_tree(source: Path, path: Path) -> Path:
    """Write `source` with its page tree's /Kids lost (the pages themselves intact)."""
    path.write_bytes(source.read_bytes().replace(b"/Kids", b"/Kidz", 1))
    return path


def stale_encryption(source: Path, path: Path) -> Path:
    """Write `source` with a trailer naming an /Encrypt dictionary that encrypts none of its streams."""
    path.write_bytes(source.read_bytes().replace(b"trailer\n<<", b"trailer\n<< /Encrypt 1 0 R", 1))
    return path


def cut_short(source: Path, path: Path, kept: float = 0.8) -> Path:
    """Write the first `kept` part of `source`: its trailer and catalogue lost, as a broken download."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * kept)])
    return path


def hopeless(path: Path) -> Path:
    """Write a file that starts like a PDF and holds nothing a tool could recover."""
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 4)
    return path


def encrypted(
    source: Path,
    path: Path,
    *,
    user: str,
    owner: str = "pemilik",
    allow: pikepdf.Permissions | None = None,
    revision: int = 6,
    aes: bool = True,
) -> Path:
    """Write `source` encrypted with the given passwords and permissions (revision 6: AES-256).

    Its page content is written uncompressed: what RC4 makes of plain operators is what a
    check for "reads as PDF operators" must tell apart (deflate would refuse it anyway).
    """
    aes = aes and revision >= 4
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            page.contents_coalesce()
            page.obj.Contents.write(page.obj.Contents.read_bytes())
        pdf.save(
            path,
            encryption=pikepdf.Encryption(
                user=user,
                owner=owner,
                R=revision,
                aes=aes,
                metadata=aes,
                allow=allow or pikepdf.Permissions(),
            ),
            compress_streams=False,
        )
    return path


def encryption_unusable(source: Path, path: Path) -> Path:
    """Write `source` (encrypted) with an encryption dictionary naming a handler no reader has."""
    data = source.read_bytes()
    assert b"/Filter /Standard" in data
    path.write_bytes(data.replace(b"/Filter /Standard", b"/Filter /Standarx", 1))
    return path


def trailer_lost(source: Path, path: Path) -> Path:
    """Write `source` cut in its cross-reference table: every object kept, the trailer naming them lost."""
    data = source.read_bytes()
    path.write_bytes(data[: data.rindex(b"\nxref") + 60])
    return path
