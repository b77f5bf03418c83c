"""Command line for staff and for checking the engine alone: stamp, read, page.

Exit codes: 0 success; 1 error (one line on stderr); 2 wrong usage; 3 `read` found no mark;
130 stopped with Ctrl+C (one line; a copy being written is not written).
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from watermark.errors import N_, WatermarkError, file_head, os_reason
from watermark.words import indonesian, said, say

# A command whose output's reader has gone (`python -m watermark read copy.pdf | head -1`) ends as
# a shell reports a process ended by SIGPIPE, saying nothing: it was not an error of the command.
EXIT_CLOSED_PIPE = 141

if TYPE_CHECKING:
    from watermark.stamping.stamper import StampResult

NO_MARK_FOUND = 3


class _Indonesian(argparse.HelpFormatter):
    """Says the help's texts (message ids) in Indonesian when help is shown, not when a command runs."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return indonesian(action.help) if action.help else action.help

    def _format_text(self, text: str) -> str:
        return super()._format_text(indonesian(text))


def _parser(argv: list[str]) -> argparse.ArgumentParser:
    """Return the command line's parser; of the commands, only the one named in `argv` gets its options.

    Each option costs argparse a help formatter made to check it: a first stamp starts sooner
    without the others' (any other first word gets them all, for the help and its errors).
    """
    parser = argparse.ArgumentParser(
        prog="python -m watermark",
        description=N_("Stamp a library softcopy with its recipient's identity, or read the stamp back."),
        formatter_class=_Indonesian,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    named = argv[0] if argv and argv[0] in ("stamp", "read", "page") else None
    _stamp_arguments(commands, named in (None, "stamp"))
    _read_arguments(commands, named in (None, "read"))
    _page_arguments(commands, named in (None, "page"))
    return parser


def _stamp_arguments(commands: argparse._SubParsersAction, options: bool) -> None:
    stamp = commands.add_parser(
        "stamp", formatter_class=_Indonesian, help=N_("stamp a PDF for one recipient")
    )
    if not options:
        return
    stamp.add_argument("source", type=Path, metavar="IN.pdf")
    stamp.add_argument("target", type=Path, metavar="OUT.pdf")
    stamp.add_argument("--name", required=True, help=N_("the recipient's name"))
    stamp.add_argument("--email", required=True, help=N_("the recipient's email (printed masked)"))
    stamp.add_argument("--delivery", metavar="ID", help=N_("the delivery ID (default: a new ID)"))
    stamp.add_argument(
        "--secret-file",
        type=Path,
        metavar="F",
        help=N_("the file of the secret that signs the verification URL"),
    )
    stamp.add_argument("--office", default="", help=N_("the office's name, e.g. 'BPS Kota Metro'"))
    stamp.add_argument("--request", default="", help=N_("the request's number"))
    stamp.add_argument("--timezone", default="Asia/Jakarta", help=N_("the office's time zone"))
    stamp.add_argument("--at", help=N_("the delivery's time, ISO 8601 (default: now)"))
    stamp.add_argument(
        "--verify-base-url",
        default="http://localhost:5000/verifikasi",
        help=N_("the start of the public verification page's URL"),
    )
    stamp.add_argument(
        "--font",
        action="append",
        default=[],
        metavar="TTF",
        help=N_("a fallback font for other scripts (may be repeated)"),
    )


def _read_arguments(commands: argparse._SubParsersAction, options: bool) -> None:
    read = commands.add_parser(
        "read", formatter_class=_Indonesian, help=N_("read every mark from a PDF, a picture or a text")
    )
    if not options:
        return
    read.add_argument("file", type=Path, metavar="FILE")
    read.add_argument("--json", action="store_true", help=N_("output JSON"))
    read.add_argument(
        "--qr",
        choices=("auto", "always", "never"),
        default="auto",
        help=N_("look for QR codes: auto = the first page and a spread sample of the others"),
    )
    read.add_argument(
        "--secret-file",
        type=Path,
        metavar="F",
        help=N_("check the QR code's signature too, with this secret"),
    )


def _page_arguments(commands: argparse._SubParsersAction, options: bool) -> None:
    page = commands.add_parser(
        "page", formatter_class=_Indonesian, help=N_("draw one page for a reader, with its mark")
    )
    if not options:
        return
    page.add_argument("source", type=Path, metavar="IN.pdf")
    page.add_argument("number", type=int, metavar="N", help=N_("the page's number, from 1"))
    page.add_argument("target", type=Path, metavar="OUT.jpg|OUT.webp|OUT.png")
    page.add_argument("--mark", required=True, help=N_("the mark's text, e.g. a name and a session ID"))
    page.add_argument("--dpi", type=int, default=110)


def main(argv: list[str] | None = None, *, exits_at_once: bool = False) -> int:
    """Run one command; return the exit code.

    `exits_at_once`: the caller ends the process as soon as this returns (os._exit), so what
    the command opened is left to the exit instead of torn down piece by piece.
    """
    arguments = sys.argv[1:] if argv is None else argv
    args = _parser(arguments).parse_args(arguments)
    args.exits_at_once = exits_at_once
    try:
        return {"stamp": _stamp, "read": _read, "page": _page}[args.command](args)
    except KeyboardInterrupt:  # Ctrl+C: a copy being written is left unwritten (written aside, then moved)
        print(say(N_("stopped (Ctrl+C)")), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return closed_pipe()
    except WatermarkError as exc:
        print(say(N_("error: %(reason)s"), reason=exc), file=sys.stderr)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(say(N_("error: %(reason)s"), reason=where + said(os_reason(exc))), file=sys.stderr)
    except Exception as exc:  # a traceback helps nobody at the desk; say what broke
        unexpected = say(N_("unexpected error: %(kind)s: %(detail)s"), kind=type(exc).__name__, detail=exc)
        print(unexpected, file=sys.stderr)
    return 1


def closed_pipe() -> int:
    """Send the rest of the standard output nowhere, its reader gone; return EXIT_CLOSED_PIPE.

    Without it, the output's last flush at exit fails again and says so.
    """
    try:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
        os.close(nowhere)
    except (OSError, ValueError):  # no file behind sys.stdout (a test's): nothing is flushed to a pipe
        pass
    return EXIT_CLOSED_PIPE


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
    from watermark.ink import content_foot
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
        unsigned = N_(
            "warning: without --secret-file, the QR code is signed with a temporary secret "
            "and the verification page will not recognise it"
        )
        print(say(unsigned), file=sys.stderr)
    # A command someone waits on measures an unmeasured publication's pages on every core (and
    # more processes on a busy host). Where the feet are read from the pages' content (compiled:
    # `content_foot`), this process reads them, and others draw them only for a document whose
    # sampled pages do not read (`PageInks.prefetch`). Else the others start now, while this one
    # opens the document and makes the stamp.
    measuring_processes = processes()
    if content_foot.available():
        from watermark.ink.ahead import Ahead

        measuring = Ahead()
    else:
        from watermark.ink.claiming import measure_ahead  # PDFium and NumPy: the others need them

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
    print(_stamped(args.target, mark.delivery_id, result))
    for warning in result.warnings:  # what was repaired, and what qpdf said of the file
        print(say(N_("note: %(note)s"), note=warning), file=sys.stderr)
    return 0


def _stamped(target: Path, delivery_id: str, result: StampResult) -> str:
    """Return the line that says what was stamped."""
    stamped = N_(
        "%(target)s: %(pages)s pages, delivery ID %(delivery)s, sha256 %(sha256)s, verification %(url)s"
    )
    repaired = N_(
        "%(target)s: %(pages)s pages, delivery ID %(delivery)s, sha256 %(sha256)s, verification %(url)s "
        "(the source PDF was repaired)"
    )
    return say(
        repaired if result.repaired else stamped,
        target=target,
        pages=result.page_count,
        delivery=delivery_id,
        sha256=result.sha256,
        url=result.verify_url,
    )


def _read(args: argparse.Namespace) -> int:
    from watermark.trace.reading import read_marks

    result = read_marks(args.file, secret=_secret(args.secret_file), qr=args.qr)
    if args.json:
        import json  # the reading command's: a stamp needs none

        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    elif not result.evidence:
        print(say(N_("%(file)s: no mark found"), file=args.file))
    else:
        for delivery_id in result.delivery_ids:
            print(say(N_("Delivery ID %(delivery)s:"), delivery=delivery_id))
            for kind in sorted(result.kinds(delivery_id)):
                pages = sorted(
                    {
                        e.page
                        for e in result.evidence
                        if e.delivery_id == delivery_id and e.kind == kind and e.page
                    }
                )
                print(
                    "  "
                    + (
                        say(N_("%(kind)s (pages %(pages)s)"), kind=kind, pages=_ranges(pages))
                        if pages
                        else kind
                    )
                )
    if result.file_type == "pdf":
        read_line = N_("read: text on %(text)s of %(pages)s pages; a QR code on %(qr)s pages (%(where)s)")
        where = _ranges(list(result.qr_pages)) or say(N_("none"))
        counts = {"text": result.text_pages, "pages": result.pages, "qr": len(result.qr_pages)}
        print(say(read_line, where=where, **counts), file=sys.stderr)
    for note in result.notes:
        print(say(N_("note: %(note)s"), note=note), file=sys.stderr)
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
    from watermark.pictures.image import Format
    from watermark.pictures.mark_overlay import render_page_image

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
    print(
        say(
            N_("%(target)s: page %(number)s, %(size)s bytes"),
            target=args.target,
            number=args.number,
            size=len(data),
        )
    )
    return 0
