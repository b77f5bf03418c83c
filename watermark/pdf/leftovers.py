"""Documents a command is done with, left to the process's exit instead of torn down one by one.

For a command that ends at once when it has answered (`python -m watermark`, which leaves with
os._exit): qpdf's teardown of a stamped 5,000-page document's objects costs 0.07 s, closing
PDFium's document 0.015 s, that nobody waits for. A long-lived process (the web app, a worker)
never asks for this: its documents are freed as it goes.
"""

from __future__ import annotations

_held: list[object] | None = None  # None: documents are freed when done with


def leave_to_exit() -> None:
    """Hold the documents this process is done with until it ends, instead of freeing them."""
    global _held
    if _held is None:
        _held = []


def held(document: object) -> bool:
    """Hold a document done with till the process ends, if asked to; tell whether it was (else: free it)."""
    if _held is None:
        return False
    _held.append(document)
    return True
