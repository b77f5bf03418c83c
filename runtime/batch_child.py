"""Batch work in a child process of its own, at a lower CPU priority, that ends with its parent."""

from __future__ import annotations

import multiprocessing
import os

from library.settings import Settings
from runtime.apart import end_with_parent
from runtime.logs import configure_logging


class ChildFailed(RuntimeError):
    """A batch child process ended with an error; its job's lease brings the job back."""


def run_in_child(target, settings: Settings, *args: object, niceness: int | None = None) -> None:
    """Run target(settings, *args) in a fresh process at batch priority; wait for it to end.

    `niceness` overrides the settings' batch niceness (0: the caller's own priority).

    The process is spawned (not forked: this one has threads) and is a daemon, so it dies with
    this process; whatever it allocated goes back to the system when it ends.
    """
    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=_batch_child,
        args=(target, settings, settings.batch_niceness if niceness is None else niceness, *args),
        name=f"pustaka-{target.__name__}",
        daemon=True,
    )
    child.start()
    child.join()
    if child.exitcode != 0:
        raise ChildFailed(f"{target.__name__}{args} ended with exit code {child.exitcode}")


def _batch_child(target, settings: Settings, niceness: int, *args: object) -> None:
    """Entry of a batch child: end with the parent, lower the priority, then run the target."""
    end_with_parent()
    configure_logging(settings)  # spawned: nothing is inherited
    if niceness:
        os.nice(niceness)  # Tesseract, started from here, inherits it
    target(settings, *args)
