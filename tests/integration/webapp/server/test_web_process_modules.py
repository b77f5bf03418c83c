"""A web process loads the engines it does not use for a page only when a page first needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Stamping (pikepdf, PyMuPDF), tracing (numpy's marks readers), printing tickets and reports
# (reportlab) and migrating (alembic): tens of MB a web process would hold for nothing.
ENGINES = ("pikepdf", "fitz", "pymupdf", "reportlab", "alembic")
SCRIPT = """
import json, sys
from webapp import create_app
client = create_app().test_client()
for path in ("/healthz", "/cari/?q=penduduk", "/cari/?q=pendudk&year=2024", "/"):
    assert client.get(path).status_code == 200, path
watched = %r
print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)
"""


def test_searching_and_the_health_probe_load_no_pdf_engine_nor_the_migrations(tmp_path: Path) -> None:
    env = {**os.environ, "PUSTAKA_INSTANCE_DIR": str(tmp_path / "instance")}
    upgrade = [sys.executable, "-c", "from cli import main; main(['db', 'upgrade'])"]
    # As `pustaka serve` does before it starts its web processes.
    subprocess.run(upgrade, env=env, capture_output=True, timeout=120, check=True)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT % (ENGINES,)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
