"""`python -m watermark`: exit code 0 only on success, errors as one line, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.integration.watermark.conftest import MARK, SECRET
from tests.integration.watermark.ink_pages import one_page
from watermark import check_signature, parse_verify_url

ROOT = Path(__file__).resolve().parents[3]


def watermark(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "watermark", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret"
    path.write_bytes(SECRET + b"\n")
    return path


def test_stamp_then_read_round_trips_through_the_command_line(
    born_digital: Path, tmp_path: Path, secret_file: Path
) -> None:
    out = tmp_path / "out.pdf"
    stamped = watermark(
        "stamp",
        born_digital,
        out,
        "--name",
        "Budi Santoso",
        "--email",
        "budi@bps.go.id",
        "--delivery",
        MARK.delivery_id,
        "--secret-file",
        secret_file,
        "--office",
        "BPS Kota Metro",
        "--verify-base-url",
        "https://metrokota.bps.go.id/v",
    )
    assert stamped.returncode == 0, stamped.stderr
    assert stamped.stderr == ""
    assert f"9 halaman, ID pengiriman {MARK.delivery_id}" in stamped.stdout
    read = watermark("read", out, "--json", "--qr", "always", "--secret-file", secret_file)
    assert read.returncode == 0, read.stderr
    data = json.loads(read.stdout)
    assert data["delivery_ids"] == [MARK.delivery_id]
    urls = {e["detail"] for e in data["evidence"] if e["kind"] == "qr"}
    assert len(urls) == 1
    delivery_id, signature = parse_verify_url(urls.pop())
    assert check_signature(delivery_id, signature, SECRET)
    assert {e["signature_valid"] for e in data["evidence"] if e["kind"] == "qr"} == {True}


def test_read_lists_each_kind_of_evidence_with_its_pages(stamped: tuple[Path, object]) -> None:
    read = watermark("read", stamped[0])
    assert read.returncode == 0
    assert read.stdout.splitlines()[0] == f"ID pengiriman {MARK.delivery_id}:"
    assert "  hidden_text (halaman 1-9)" in read.stdout.splitlines()


def test_read_into_a_closed_pipe_ends_quietly(stamped: tuple[Path, object]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # as `head -1` does once it has its line: the command's next write finds no reader
    try:
        done = subprocess.run(
            [sys.executable, "-m", "watermark", "read", str(stamped[0])],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            check=False,
        )
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")  # as a shell reports a process ended by SIGPIPE


def test_a_reader_gone_while_a_command_writes_ends_it_with_141_and_no_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from watermark import cli

    def gone(_args: object) -> int:  # a long listing whose reader left half-way
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "_read", gone)
    assert cli.main(["read", "copy.pdf"]) == 141
    assert capsys.readouterr().err == ""


def test_stamp_without_a_secret_file_warns_that_the_qr_cannot_be_verified(
    born_digital: Path, tmp_path: Path
) -> None:
    result = watermark("stamp", born_digital, tmp_path / "o.pdf", "--name", "Budi", "--email", "b@x.id")
    assert result.returncode == 0
    assert result.stderr.startswith("peringatan: tanpa --secret-file")


def test_a_page_whose_drawing_breaks_off_is_stamped_without_mupdfs_complaints(
    tmp_path: Path, secret_file: Path
) -> None:
    broken, out = tmp_path / "broken.pdf", tmp_path / "out.pdf"
    with pikepdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[0].Contents = pdf.make_stream(b"0 0 1 rg 100 100 200 200 re f [ (cut off) 0 0 m")
        pdf.save(broken)
    result = watermark(
        "stamp", broken, out, "--name", "Budi", "--email", "b@x.id", "--secret-file", secret_file
    )
    assert result.returncode == 0 and result.stderr == ""
    # One line, the engine's: MuPDF's "syntax error: array not closed" is not the desk's business.
    assert len(result.stdout.splitlines()) == 1 and result.stdout.startswith(f"{out}: 1 halaman")


def test_ctrl_c_ends_a_stamp_with_one_line_and_no_copy(
    born_digital: Path, tmp_path: Path, secret_file: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from watermark import cli
    from watermark.stamping import copies

    def pressed(*_args: object) -> None:  # Ctrl+C as the pages are about to be measured
        raise KeyboardInterrupt

    monkeypatch.setattr(copies, "page_inks", pressed)
    out = tmp_path / "out.pdf"
    try:
        code = cli.main(
            [
                "stamp",
                str(born_digital),
                str(out),
                "--name",
                "Budi",
                "--email",
                "b@x.id",
                "--secret-file",
                str(secret_file),
            ]
        )
    except KeyboardInterrupt:  # not handled: kept from ending the whole test run
        code = None
    assert code == 130
    assert capsys.readouterr().err == "dibatalkan (Ctrl+C)\n"
    assert list(tmp_path.iterdir()) == [secret_file]  # neither the copy nor its temporary file


def test_a_stamp_takes_on_the_processes_it_started_before_opening_the_file(
    born_digital: Path, tmp_path: Path, secret_file: Path, monkeypatch: pytest.MonkeyPatch, feet_drawn: None
) -> None:
    from watermark import cli
    from watermark.ink import ahead, host

    taken: list[bool] = []
    adopt = ahead.Ahead.adopt

    def recorded(self: ahead.Ahead, source: str, boxes: list) -> bool:
        taken.append(adopt(self, source, boxes))
        return taken[-1]

    monkeypatch.setattr(ahead, "SHARE_PAGES", 1)
    monkeypatch.setattr(host, "processes", lambda: 2)
    monkeypatch.setattr(ahead, "may_fork", lambda: True)  # a test process may hold a server's thread
    monkeypatch.setattr(ahead.Ahead, "adopt", recorded)
    out = tmp_path / "out.pdf"
    args = ["stamp", str(born_digital), str(out), "--name", "Budi", "--email", "b@x.id"]
    assert cli.main([*args, "--secret-file", str(secret_file)]) == 0
    assert taken == [True]
    with pikepdf.open(out) as copy, pikepdf.open(born_digital) as source:
        assert len(copy.pages) == len(source.pages)


@pytest.mark.parametrize("exits_at_once", [False, True])
def test_only_a_command_that_exits_at_once_leaves_its_documents_to_the_exit(
    exits_at_once: bool,
    born_digital: Path,
    tmp_path: Path,
    secret_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from watermark import cli
    from watermark.ink.pdfium_ink import PdfiumDocument
    from watermark.pdf import leftovers

    monkeypatch.setattr(leftovers, "_held", None)  # as a process starts
    # Its scanned page drawn by PDFium, not taken as inked where its picture lies: a PDFium document to leave.
    monkeypatch.setattr("watermark.ink.pageinks.scan_ink", lambda page, box: None)
    args = ["stamp", str(born_digital), str(tmp_path / "out.pdf"), "--name", "Budi", "--email", "b@x.id"]
    assert cli.main([*args, "--secret-file", str(secret_file)], exits_at_once=exits_at_once) == 0
    if not exits_at_once:  # a library or web process frees each document as it goes
        assert leftovers._held is None
        return
    # The source stamped, PDFium's reading of its pages and the copy read back to check it: held,
    # done with (qpdf's closed: their files are no longer read), for the exit to drop.
    assert leftovers._held is not None
    kinds = sorted(type(document).__name__ for document in leftovers._held)
    assert kinds == ["Pdf", "Pdf", "PdfiumDocument"]
    for document in leftovers._held:
        if not isinstance(document, PdfiumDocument):
            with pytest.raises(pikepdf.PdfError):
                document.pages[0].obj.Contents.read_bytes()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "args",
    [
        ["stamp", "{missing}", "{out}", "--name", "Budi", "--email", "b@x.id"],
        ["stamp", "{pdf}", "{out}", "--name", "Budi", "--email", "b@x.id", "--delivery", "7K3M9QPXW2RT"],
        ["stamp", "{pdf}", "{out}", "--name", "Budi", "--email", "b@x.id", "--at", "kemarin"],
        ["stamp", "{pdf}", "{out}", "--name", "Budi", "--email", "b@x.id", "--at", "2025-03-05T07:00"],
        ["stamp", "{pdf}", "{out}", "--name", "Budi", "--email", "b@x.id", "--timezone", "Mars/Olympus"],
        ["read", "{missing}"],
        ["read", "{tmp}"],
        ["read", "{fifo}"],
        ["page", "{tmp}", "1", "{tmp}/p.webp", "--mark", "Budi"],
        ["page", "{pdf}", "1", "/proc/p.webp", "--mark", "Budi"],
        ["stamp", "{pdf}", "{tmp}", "--name", "Budi", "--email", "b@x.id"],
        ["page", "{pdf}", "99", "{tmp}/p.webp", "--mark", "Budi"],
        ["page", "{pdf}", "1", "{tmp}/p.gif", "--mark", "Budi"],
    ],
)
def test_errors_are_one_line_with_exit_code_1(args: list[str], born_digital: Path, tmp_path: Path) -> None:
    values = {
        "missing": tmp_path / "missing.pdf",
        "out": tmp_path / "out.pdf",
        "pdf": born_digital,
        "tmp": tmp_path,
        "fifo": tmp_path / "pipe",
    }
    os.mkfifo(values["fifo"])  # with no writer, opening it would wait for ever
    result = watermark(*(a.format(**values) for a in args))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if not line.startswith("peringatan")]
    assert len(lines) == 1 and lines[0].startswith("galat: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_usage_mistakes_exit_with_code_2(born_digital: Path, tmp_path: Path) -> None:
    assert watermark("stamp", born_digital, tmp_path / "o.pdf", "--email", "b@x.id").returncode == 2
    assert watermark("launch").returncode == 2


def test_read_exits_3_when_no_mark_is_found(born_digital: Path) -> None:
    result = watermark("read", born_digital, "--qr", "never")
    assert result.returncode == 3
    assert "tidak ada tanda ditemukan" in result.stdout


def test_page_writes_a_marked_picture(born_digital: Path, tmp_path: Path) -> None:
    result = watermark(
        "page", born_digital, "2", tmp_path / "p.png", "--mark", "Budi · sesi 1", "--dpi", "60"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p.png").read_bytes().startswith(b"\x89PNG")


def test_stamping_does_not_pay_for_pymupdfs_layout_add_ons(born_digital: Path, tmp_path: Path) -> None:
    # The stamp renders a page coarsely to find blank paper where it cannot read it; PyMuPDF's
    # layout models (ONNX, ~1.2 s of CPU to import) are never needed for that. Its scanned page
    # is drawn (not read from its JPEG) so that PyMuPDF is loaded.
    code = (
        "import sys; from watermark.ink import pageinks; from watermark.cli import main; "
        "pageinks.scan_ink = lambda page, box: None; "
        f"main(['stamp', {str(born_digital)!r}, {str(tmp_path / 'o.pdf')!r}, "
        "'--name', 'Budi', '--email', 'b@x.id']); "
        "print('pymupdf' in sys.modules, 'pymupdf.layout' in sys.modules, 'onnxruntime' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.splitlines()[-1] == "True False False"


def test_a_first_stamp_of_text_pages_loads_no_drawing_library(tmp_path: Path) -> None:
    # Its feet are read from the content and its fonts subset by watermark.marks.fonts.truetype:
    # neither reportlab (and the Pillow it loads), a renderer, processes to measure ahead, lxml
    # for an XMP record the publication did not have, nor NumPy (the codes' draws are
    # watermark.marks.pcg's, the ink's cells integers).
    source = tmp_path / "text.pdf"
    with pikepdf.new() as pdf:
        for line in range(40):
            one_page(
                pdf, b"BT /F1 11 Tf 72 %d Td (Statistik Daerah, baris %d) Tj ET" % (700 - 14 * line, line)
            )
        pdf.save(source)
    watched = ("reportlab", "PIL", "lxml", "pymupdf", "pypdfium2", "multiprocessing", "numpy")
    target = tmp_path / "o.pdf"
    code = (
        "import sys; from watermark.cli import main; "
        f"main(['stamp', {str(source)!r}, {str(target)!r}, '--name', 'Ni Luh Ayu', '--email', 'a@x.id']); "
        f"print([m for m in {watched!r} if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr
    assert target.stat().st_size > source.stat().st_size
