"""Compiled page templates, kept for the whole process so a second app need not compile them again."""

from __future__ import annotations

import threading

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class CompiledTemplates(BytecodeCache):
    """Jinja's bytecode of each template, in memory, checked against the template's source.

    Every app `create_app` builds configures Jinja the same way, so the bytecode one compiled
    is valid for the next (Jinja still compares the source's checksum before using it). A
    process serving one app gains nothing; a process building many apps (the CLI's commands
    one after another, each test of the suite) compiles every template once instead of once
    per app.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill the bucket from a template compiled before, if any."""
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a newly compiled template."""
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


COMPILED = CompiledTemplates()
