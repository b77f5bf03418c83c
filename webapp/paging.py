"""The page of a list a visitor asks for (`?halaman=N`), read by one helper, within bounds."""

from __future__ import annotations

from flask import request

from library.paging import MAX_PAGE

PAGE_ARGUMENT = "halaman"


def page_number(name: str = PAGE_ARGUMENT) -> int:
    """Return the page asked for: 1 for anything but a plain number, and never past MAX_PAGE.

    An address may say ?halaman=1e18 or a number of forty digits: neither may reach the
    database as an offset (past 64 bits the driver fails), nor ask for a list's millionth page.
    """
    value = request.args.get(name, "").strip()
    if not value.isascii() or not value.isdigit():
        return 1
    return MAX_PAGE if len(value) > len(str(MAX_PAGE)) else min(max(int(value), 1), MAX_PAGE)
