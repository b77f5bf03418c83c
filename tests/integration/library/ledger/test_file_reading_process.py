"""A trace's reading runs in a process of its own that loads no database layer to find it."""

from __future__ import annotations

import json
import subprocess
import sys

from library.ledger.file_reading import read_evidence
from library.ledger.tracing import read_evidence as traced_with

# What the process `runtime.apart` starts imports to unpickle its work: the reading's module.
SCRIPT = """
import json, sys
from library.ledger.file_reading import read_evidence
print(json.dumps(sorted(m for m in ("sqlalchemy", "library.models", "library.uow") if m in sys.modules)))
"""


def test_the_reading_of_a_file_is_found_without_the_models_or_sqlalchemy() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert traced_with is read_evidence and read_evidence.__module__ == "library.ledger.file_reading"
