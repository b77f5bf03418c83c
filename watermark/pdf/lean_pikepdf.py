"""pikepdf loaded lean for a short-lived command: its compiled core first, the rest when first asked for.

`import pikepdf` costs a new process about 0.1 s of CPU, two thirds of it in pikepdf's Python
layer: its models of metadata, images, outlines and encryption, and the standard library they
load (inspect, subprocess, mimetypes, ...). A stamp from the command line uses none of it: it
opens a file, edits its objects through the compiled core (`pikepdf._core`) and writes a new
file. `install()` makes `pikepdf` that package with only the core loaded, plus the few
Python-side calls a stamp makes, written over the core's own calls as pikepdf's `_methods`
writes them: `pikepdf.open`, `Pdf.close` and its `with`, `Pdf.save` to a new file or a
stream, `Pdf.make_stream` and `Object.write` (unchecked).

Anything else completes the import, in the same module: a name of the package not loaded yet
(`pikepdf.Encryption`), an attribute a `Pdf` lacks (`pdf.allow`, `pdf.open_metadata`), a save
over an existing file or a checked write. The lean calls are taken off and pikepdf's own
`__init__` runs, so every object made before has the whole API from then on.

Only `python -m watermark` installs it, before anything imports pikepdf; the library and the
web app import pikepdf whole. A pikepdf whose core lacks a call used here is imported whole at
once.
"""

from __future__ import annotations

import builtins
import importlib.util
import os
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

_lock = threading.RLock()
_added: list[tuple[type, str]] = []  # the lean calls set on the core's classes, taken off on completing


def install() -> bool:
    """Make `pikepdf` the lean package; False if pikepdf was imported already or is imported whole."""
    if "pikepdf" in sys.modules:
        return False
    spec = importlib.util.find_spec("pikepdf")
    if spec is None or spec.loader is None:
        return False
    module = importlib.util.module_from_spec(spec)
    sys.modules["pikepdf"] = module
    try:
        from pikepdf import _core
    except BaseException:
        del sys.modules["pikepdf"]
        raise
    if not _fits(_core):
        spec.loader.exec_module(module)  # pikepdf whole, in the module already registered
        return False
    module.__dict__.update({name: getattr(_core, name) for name in dir(_core) if not name.startswith("_")})
    module.__dict__.update(open=_open, new=_core.Pdf.new, __getattr__=_module_getattr)
    _add(_core.Pdf, close=_close, __enter__=_enter, __exit__=_exit, save=_save, make_stream=_make_stream)
    _add(_core.Pdf, __getattr__=_pdf_getattr)
    _add(_core.Object, write=_write)
    return True


def is_lean() -> bool:
    """True while `pikepdf` is the lean package (installed and not completed)."""
    return bool(_added)


def _fits(core: ModuleType) -> bool:
    """Whether the core has the calls written over here, and none of the names added here."""
    pdf, obj = core.Pdf, core.Object
    calls = ("_open", "_save", "_close", "_count_orphaned_widgets", "new")
    needed = all(hasattr(pdf, name) for name in calls) and hasattr(obj, "_write")
    taken = any(name in vars(pdf) for name in ("close", "save", "make_stream", "__enter__", "__getattr__"))
    return needed and not taken and "write" not in vars(obj)


def _add(cls: type, **members: Any) -> None:
    for name, member in members.items():
        setattr(cls, name, member)
        _added.append((cls, name))


def _complete(module: ModuleType | None = None) -> None:
    """Take the lean calls off and run pikepdf's own `__init__` in the same module (once)."""
    with _lock:
        module = module or sys.modules["pikepdf"]
        if not _added and "__getattr__" not in vars(module):
            return
        for cls, name in _added:
            delattr(cls, name)
        _added.clear()
        vars(module).pop("__getattr__", None)
        module.__spec__.loader.exec_module(module)  # type: ignore[union-attr]


def _module_getattr(name: str) -> Any:
    _complete()
    return getattr(sys.modules["pikepdf"], name)


def _pdf_getattr(self: Any, name: str) -> Any:
    if name.startswith("_"):  # pikepdf's own optional fields (getattr(pdf, "_tmp_stream", None))
        raise AttributeError(name)
    _complete()
    return getattr(self, name)


def _open(filename_or_stream: Any, *, password: str | bytes = "", **options: Any) -> Any:
    """`pikepdf.open` for a path or a binary stream, as `Pdf.open` opens them."""
    from pikepdf._core import Pdf

    opened: Any = Pdf._open  # type: ignore[attr-defined]  # the core's own call, checked by _fits
    if "allow_overwriting_input" in options or isinstance(filename_or_stream, int | float):
        _complete()
        return sys.modules["pikepdf"].open(filename_or_stream, password=password, **options)
    if hasattr(filename_or_stream, "read") and hasattr(filename_or_stream, "seek"):
        stream, closing, description = filename_or_stream, False, f"stream {filename_or_stream}"
    else:
        stream, closing, description = builtins.open(filename_or_stream, "rb"), True, str(filename_or_stream)
    try:
        pdf = opened(stream, password=password, description=description, closing_stream=closing, **options)
    except BaseException:
        if closing:
            stream.close()
        raise
    pdf._tmp_stream = None
    pdf._input_stream = stream
    pdf._original_filename = Path(filename_or_stream) if closing else None
    return pdf


def _close(self: Any) -> None:
    self._close()


def _enter(self: Any) -> Any:
    return self


def _exit(self: Any, *_exc: object) -> None:
    self._close()


def _save(self: Any, filename_or_stream: Any = None, **options: Any) -> None:
    """`Pdf.save` to a stream or to a file that does not exist yet; anything else completes first.

    Completing first too: the original file or one that exists (pikepdf writes over it
    atomically), the stream the document was read from, and a document whose form widgets its
    form does not reach (pikepdf warns of them).
    """
    if hasattr(filename_or_stream, "seek"):
        own_input = filename_or_stream is getattr(self, "_input_stream", None)
        if not own_input and not self._count_orphaned_widgets():
            self._save(filename_or_stream, **options)
            return
    elif not self._count_orphaned_widgets():
        stream = _new_file(filename_or_stream)
        if stream is not None:
            try:
                with stream:
                    self._save(stream, **options)
            except BaseException:
                os.unlink(filename_or_stream)
                raise
            return
    _complete()
    self.save(filename_or_stream, **options)


def _new_file(path: Any) -> Any:
    """Return `path` created and open for writing, or None where it names no new file."""
    if not path or not isinstance(path, str | bytes | os.PathLike):
        return None
    try:
        return builtins.open(path, "xb")
    except FileExistsError:
        return None


def _make_stream(self: Any, data: bytes, d: Any = None, **kwargs: Any) -> Any:
    from pikepdf._core import Stream

    return Stream(self, data, d, **kwargs)


def _write(
    self: Any, data: bytes, *, filter: Any = None, decode_parms: Any = None, type_check: bool = True
) -> None:
    """`Object.write`; a filter to be type-checked completes the import and is checked by pikepdf."""
    if type_check and filter is not None:
        _complete()
        self.write(data, filter=filter, decode_parms=decode_parms, type_check=True)
        return
    self._write(data, filter=filter, decode_parms=decode_parms)
