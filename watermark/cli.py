"""Command line for staff and for checking the engine alone: stamp, read, page.

Exit codes: 0 success; 1 error (one line on stderr); 2 wrong usage; 3 `read` found no mark;
130 stopped with Ctrl+C (one line; a copy being written is not written).
"""

from __future__ import annotations

import argparse
import functools
import json
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path

from watermark.errors import N_, Reason, WatermarkError, file_head, os_reason

NO_MARK_FOUND = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m watermark",
        description="Cap pustaka softcopy dengan identitas penerima, atau baca capnya kembali.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    stamp = commands.add_parser("stamp", help="cap sebuah PDF untuk satu penerima")
    stamp.add_argument("source", type=Path, metavar="IN.pdf")
    stamp.add_argument("target", type=Path, metavar="OUT.pdf")
    stamp.add_argument("--name", required=True, help="nama penerima")
    stamp.add_argument("--email", required=True, help="email penerima (dicetak tersamar)")
    stamp.add_argument("--delivery", metavar="ID", help="ID pengiriman (bawaan: ID baru)")
    stamp.add_argument(
        "--secret-file", type=Path, metavar="F", help="berkas rahasia penandatangan URL verifikasi"
    )
    stamp.add_argument("--office", default="", help="nama kantor, mis. 'BPS Kota Metro'")
    stamp.add_argument("--request", default="", help="nomor permintaan")
    stamp.add_argument("--timezone", default="Asia/Jakarta", help="zona waktu kantor")
    stamp.add_argument("--at", help="waktu pengiriman ISO 8601 (bawaan: sekarang)")
    stamp.add_argument(
        "--verify-base-url",
        default="http://localhost:5000/verifikasi",
        help="awal URL halaman verifikasi publik",
    )
    stamp.add_argument(
        "--font",
        action="append",
        default=[],
        metavar="TTF",
        help="font cadangan untuk aksara lain (boleh berulang)",
    )

    read = commands.add_parser("read", help="baca semua tanda dari PDF, gambar atau teks")
    read.add_argument("file", type=Path, metavar="FILE")
    read.add_argument("--json", action="store_true", help="keluaran JSON")
    read.add_argument(
        "--qr",
        choices=("auto", "always", "never"),
        default="auto",
        help="cari kode QR: auto = halaman pertama dan contoh sebaran halaman lainnya",
    )
    read.add_argument(
        "--secret-file", type=Path, metavar="F", help="periksa juga tanda tangan QR dengan rahasia ini"
    )

    page = commands.add_parser("page", help="gambar satu halaman untuk pembaca, dengan tanda")
    page.add_argument("source", type=Path, metavar="IN.pdf")
    page.add_argument("number", type=int, metavar="N", help="nomor halaman, mulai 1")
    page.add_argument("target", type=Path, metavar="OUT.jpg|OUT.webp|OUT.png")
    page.add_argument("--mark", required=True, help="teks tanda, mis. nama dan ID sesi")
    page.add_argument("--dpi", type=int, default=110)
    return parser


def main(argv: list[str] | None = None, *, exits_at_once: bool = False) -> int:
    """Run one command; return the exit code.

    `exits_at_once`: the caller ends the process as soon as this returns (os._exit), so what
    the command opened is left to the exit instead of torn down piece by piece.
    """
    args = _parser().parse_args(argv)
    args.exits_at_once = exits_at_once
    try:
        return {"stamp": _stamp, "read": _read, "page": _page}[args.command](args)
    except KeyboardInterrupt:  # Ctrl+C: a copy being written is left unwritten (written aside, then moved)
        print("dibatalkan (Ctrl+C)", file=sys.stderr)
        return 130
    except WatermarkError as exc:
        print(f"galat: {said(exc)}", file=sys.stderr)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"galat: {where}{said(os_reason(exc))}", file=sys.stderr)
    except Exception as exc:  # a traceback helps nobody at the desk; say what broke
        print(f"galat tak terduga: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


# The web shell's Indonesian catalogue, read as data by its path as `runtime.message_catalogue`
# reads it (the engine imports neither): the command speaks Indonesian wherever a message has
# its translation, English where it has none or the catalogue is not there.
CATALOGUE = (
    Path(__file__).resolve().parent.parent / "webapp" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
)


def said(words: WatermarkError | Reason) -> str:
    """Return an error's (or a reason's) words in Indonesian where the catalogue has them, else in English."""
    text = _indonesian().get(words.message) or words.message
    if not words.params:
        return text
    values = {k: said(v) if isinstance(v, WatermarkError | Reason) else v for k, v in words.params.items()}
    return text % values


@functools.cache
def _indonesian() -> dict[str, str]:
    """Return the Indonesian catalogue as {message id: translation}, read once (only an error needs it)."""
    from babel.messages.pofile import read_po

    try:
        with open(CATALOGUE, "rb") as handle:
            catalog = read_po(handle, locale="id")
    except OSError:
        return {}
    return {
        m.id: m.string
        for m in catalog
        if isinstance(m.id, str) and isinstance(m.string, str) and m.string and "fuzzy" not in m.flags
    }


def _secret(path: Path | None) -> bytes | None:
    if path is None:
        return None
    secret = path.read_bytes().strip()
    if not secret:
        raise WatermarkError(N_("The secret file is empty: %(path)s"), code="no_secret", path=path)
    return secret


def _delivered_at(at: str | None) -> datetime:
    """Return the delivery time given (ISO 8601, with its time zone), or now."""
    try:
        when = datetime.fromisoformat(at) if at else datetime.now(timezone.utc)
    except ValueError:
        raise WatermarkError(N_("Not a valid time: %(at)s (use ISO 8601)"), at=repr(at)) from None
    if when.tzinfo is None:
        raise WatermarkError(N_("The time must have a time zone, e.g. %(example)s"), example=f"{at}+07:00")
    return when


def _stamp(args: argparse.Namespace) -> int:
    from watermark.ink.claiming import measure_ahead  # PDFium and NumPy: the others need them
    from watermark.ink.host import processes
    from watermark.marks.mark import Mark, new_delivery_id

    secret = _secret(args.secret_file)
    mark = Mark(
        delivery_id=args.delivery or new_delivery_id(),
        recipient_name=args.name,
        recipient_email=args.email,
        office_name=args.office,
        request_number=args.request,
        delivered_at=_delivered_at(args.at),
        timezone=args.timezone,
        verify_base_url=args.verify_base_url,
    )
    if secret is None:
        secret = secrets.token_bytes(32)
        print(
            "peringatan: tanpa --secret-file, QR ditandatangani dengan rahasia sementara "
            "dan halaman verifikasi tidak akan mengenalinya",
            file=sys.stderr,
        )
    # A command someone waits on measures an unmeasured publication's pages on every core (and
    # more processes on a busy host), the others starting now, while this one opens the
    # document and makes the stamp.
    measuring_processes = processes()
    measuring = measure_ahead(args.source, measuring_processes)
    try:
        # The others measure meanwhile: what stamps is loaded after they start (NumPy, pikepdf).
        from watermark.pdf import leftovers
        from watermark.stamping.copies import stamp_pdf

        if args.exits_at_once:
            leftovers.leave_to_exit()
        result = stamp_pdf(
            args.source,
            args.target,
            mark,
            secret,
            fallback_fonts=tuple(args.font),
            processes=measuring_processes,
            measuring=measuring,
        )
    finally:
        measuring.close()
    print(
        f"{args.target}: {result.page_count} halaman, ID pengiriman {mark.delivery_id}, "
        f"sha256 {result.sha256}, verifikasi {result.verify_url}"
        + (" (PDF sumber diperbaiki)" if result.repaired else "")
    )
    for warning in result.warnings:  # what was repaired, and what qpdf said of the file
        print(f"catatan: {warning if isinstance(warning, str) else said(warning)}", file=sys.stderr)
    return 0


def _read(args: argparse.Namespace) -> int:
    from watermark.trace.reading import read_marks

    result = read_marks(args.file, secret=_secret(args.secret_file), qr=args.qr)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif not result.evidence:
        print(f"{args.file}: tidak ada tanda ditemukan")
    else:
        for delivery_id in result.delivery_ids:
            print(f"ID pengiriman {delivery_id}:")
            for kind in sorted(result.kinds(delivery_id)):
                pages = sorted(
                    {
                        e.page
                        for e in result.evidence
                        if e.delivery_id == delivery_id and e.kind == kind and e.page
                    }
                )
                where = f" (halaman {_ranges(pages)})" if pages else ""
                print(f"  {kind}{where}")
    if result.file_type == "pdf":
        print(
            f"dibaca: teks {result.text_pages} dari {result.pages} halaman; kode QR pada "
            f"{len(result.qr_pages)} halaman ({_ranges(list(result.qr_pages)) or 'tidak ada'})",
            file=sys.stderr,
        )
    for note in result.notes:
        print(f"catatan: {said(note)}", file=sys.stderr)
    return 0 if result.evidence else NO_MARK_FOUND


def _ranges(numbers: list[int]) -> str:
    """Return '1-3, 5' for [1, 2, 3, 5]."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)


def _page(args: argparse.Namespace) -> int:
    from watermark.pictures.image import Format, render_page_image

    formats: dict[str, Format] = {"jpg": "jpeg", "jpeg": "jpeg", "webp": "webp", "png": "png"}
    suffix = args.target.suffix.lower().lstrip(".")
    if suffix not in formats:
        raise WatermarkError(N_("The output file's name must end in .jpg, .webp or .png"))
    file_head(args.source)  # a folder or a missing file, told as such
    data = render_page_image(args.source, args.number - 1, args.mark, dpi=args.dpi, fmt=formats[suffix])
    try:
        args.target.write_bytes(data)
    except OSError as exc:
        raise WatermarkError(
            N_("The picture cannot be written to %(target)s: %(reason)s"),
            target=args.target,
            reason=os_reason(exc, writing=True),
        ) from None
    print(f"{args.target}: halaman {args.number}, {len(data)} bita")
    return 0
