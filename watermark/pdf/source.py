"""What the engine reads a PDF from: a path to the file, or its bytes."""

from __future__ import annotations

import os

Source = str | os.PathLike[str] | bytes
