"""PyMuPDF, loaded without the add-ons the engine never uses.

PyMuPDF 2 imports `pymupdf.layout` (ONNX layout models) and `pymupdf4llm` whenever they are
installed: about 1.2 s of CPU against 0.1 s for PyMuPDF itself, paid by every fresh worker
that stamps or renders a page. The engine only renders pages and reads their text.

MuPDF's own messages ("syntax error in content stream" for a damaged page) are not printed:
the engine says in its own words what it could not read, and a page MuPDF cannot draw is
taken as all ink (nothing is stamped over it).
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

_ADD_ONS = ("pymupdf.layout", "pymupdf4llm")
_lock = threading.Lock()
_loaded: ModuleType | None = None  # set once the import has finished


def load_pymupdf() -> ModuleType:
    """Return the pymupdf module, importing it (without its add-ons) on first use."""
    # Not `sys.modules`: a module is there from the start of its import, and another thread
    # handed it then finds it half built ("partially initialized module has no attribute").
    global _loaded
    if _loaded is not None:
        return _loaded
    with _lock:
        if _loaded is None:
            blocked = [name for name in _ADD_ONS if name not in sys.modules]
            for name in blocked:
                sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` fail at once
            try:
                import pymupdf
            finally:
                for name in blocked:
                    if sys.modules.get(name, ...) is None:
                        del sys.modules[name]  # whoever wants them later can still import them
            pymupdf.TOOLS.mupdf_display_errors(False)
            pymupdf.TOOLS.mupdf_display_warnings(False)
            _loaded = pymupdf
        return _loaded
