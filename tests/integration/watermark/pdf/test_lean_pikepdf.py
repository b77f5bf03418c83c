"""The command line's lean pikepdf: a stamp needs only its core; anything else completes the import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf

from tests.integration.watermark.ink_pages import one_page
from watermark.pdf import lean_pikepdf

ROOT = Path(__file__).resolve().parents[4]


def _in_a_new_process(code: str) -> list[str]:
    """Run `code` after installing the lean pikepdf in a new interpreter; return what it printed."""
    script = "import sys; from watermark.pdf import lean_pikepdf as lean; print(lean.install())\n" + code
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def _text_pdf(path: Path) -> Path:
    with pikepdf.new() as pdf:
        one_page(pdf, b"BT /F1 11 Tf 72 700 Td (Statistik Daerah) Tj ET")
        pdf.save(path)
    return path


def test_a_first_stamp_runs_on_the_core_alone(tmp_path: Path) -> None:
    source, target = _text_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf"
    printed = _in_a_new_process(
        "from watermark.cli import main\n"
        f"code = main(['stamp', {str(source)!r}, {str(target)!r}, '--name', 'Ni Luh', '--email', 'a@x.id'])\n"
        "print(code, lean.is_lean(), [m for m in ('pikepdf._methods', 'pikepdf.models', 'dataclasses')"
        " if m in sys.modules])"
    )
    # Nor the dataclasses (and the inspect they import): the stamp's records are named tuples.
    assert printed[0] == "True"
    assert printed[-3:] == ["0", "True", "[]"]
    with pikepdf.open(target) as stamped:  # read whole here: the lean copy is a whole PDF
        assert stamped.docinfo["/PustakaDeliveryID"]
        assert len(stamped.pages[0].Contents) >= 2


def test_what_the_core_lacks_completes_the_import_for_objects_made_before(tmp_path: Path) -> None:
    source = _text_pdf(tmp_path / "in.pdf")
    printed = _in_a_new_process(
        "import pikepdf\n"
        f"pdf = pikepdf.open({str(source)!r})\n"
        "print(lean.is_lean(), pdf.allow.extract, lean.is_lean(), pikepdf.Encryption.__name__)\n"
        "print(pikepdf.Pdf.open is not lean._open, pikepdf.Pdf.save is not lean._save)"
    )
    assert printed == ["True", "True", "True", "False", "Encryption", "True", "True"]


def test_a_name_of_the_package_not_loaded_completes_it_too() -> None:
    printed = _in_a_new_process(
        "import pikepdf\n"
        "print(lean.is_lean(), bool(pikepdf.__version__), lean.is_lean(), pikepdf.Permissions.__name__)"
    )
    assert printed == ["True", "True", "True", "False", "Permissions"]


def test_saving_over_an_existing_file_is_left_to_pikepdf_which_replaces_it_whole(tmp_path: Path) -> None:
    source, target = _text_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf"
    target.write_bytes(b"an older copy")
    printed = _in_a_new_process(
        "import io, pikepdf\n"
        f"pdf = pikepdf.open({str(source)!r})\n"
        "buffer = io.BytesIO(); pdf.save(buffer); print(lean.is_lean())\n"
        f"pdf.save({str(target)!r}); print(lean.is_lean())"
    )
    assert printed == ["True", "True", "False"]
    with pikepdf.open(target) as written:
        assert len(written.pages) == 1


def test_a_new_file_that_cannot_be_written_is_not_left_behind(tmp_path: Path) -> None:
    source, target = _text_pdf(tmp_path / "in.pdf"), tmp_path / "out.pdf"
    printed = _in_a_new_process(
        "import pikepdf\n"
        f"pdf = pikepdf.open({str(source)!r})\n"
        "try:\n"
        f"    pdf.save({str(target)!r}, progress=lambda done: 1 / 0)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
        "print(lean.is_lean())"
    )
    assert printed == ["True", "ZeroDivisionError", "True"]
    assert not target.exists()


def test_a_checked_write_is_pikepdfs_own_and_an_unchecked_one_the_cores() -> None:
    printed = _in_a_new_process(
        "import zlib, pikepdf\n"
        "pdf = pikepdf.new(); stream = pdf.make_stream(b'')\n"
        "stream.write(zlib.compress(b'0 0 m'), filter=pikepdf.Name.FlateDecode, type_check=False)\n"
        "print(stream.read_bytes() == b'0 0 m', lean.is_lean())\n"
        "try:\n"
        "    stream.write(b'x', filter='FlateDecode')\n"
        "except TypeError:\n"
        "    print('refused', lean.is_lean())"
    )
    assert printed == ["True", "True", "True", "refused", "False"]


def test_a_core_it_does_not_fit_is_imported_whole_at_once(tmp_path: Path) -> None:
    source = _text_pdf(tmp_path / "in.pdf")
    script = (
        "from watermark.pdf import lean_pikepdf as lean\n"
        "lean._fits = lambda core: False  # a pikepdf whose core has changed its calls\n"
        "print(lean.install(), lean.is_lean())\n"
        "import pikepdf\n"
        f"with pikepdf.open({str(source)!r}) as pdf:\n"
        "    print(len(pdf.pages), pikepdf.Encryption.__name__, pdf.allow.extract)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split() == ["False", "False", "1", "Encryption", "True"], result.stderr


def test_it_is_not_installed_over_a_pikepdf_already_imported() -> None:
    assert "pikepdf" in sys.modules
    assert lean_pikepdf.install() is False
    assert not lean_pikepdf.is_lean()
