"""Run the watermark command line: python -m watermark stamp|read|page."""

from watermark.cli import main

raise SystemExit(main())
