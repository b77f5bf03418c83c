"""Moving an instance onto another database and file store (`pustaka move`), nothing lost."""

from library.moving.copying import (
    SEEDED,
    FileCopy,
    FileSummary,
    MoveRefused,
    check_target,
    copy_files,
    copy_kept_beside,
    copy_rows,
    count_rows,
    file_sha256,
    moved_tables,
    reset_sequences,
    summarise_files,
)

__all__ = [
    "FileCopy",
    "FileSummary",
    "MoveRefused",
    "check_target",
    "copy_files",
    "copy_kept_beside",
    "copy_rows",
    "SEEDED",
    "count_rows",
    "file_sha256",
    "moved_tables",
    "reset_sequences",
    "summarise_files",
]
