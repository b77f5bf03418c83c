"""Benchmark backups kept for years: a second backup against the first, plain and encrypted.

    python -m benchmarks.backup                 # a 200 MB file store in 40 files
    python -m benchmarks.backup --store-mb 50   # quicker

Makes a fresh SQLite instance whose file store holds --store-mb of random files (the database
stays small, as a catalogue's is beside its PDFs), runs `pustaka backup` once as the timer does
(a new process: most of its time on a slow host is the start-up), then times the backup itself
(`make_backup`, median of --repeats): a first backup into an empty folder, then a second beside
it with nothing changed. The second hard-links every stored file from the first, so its time and
the bytes it writes are printed as a ratio to the first's (the baseline measured in the same
run). The second still reads every stored file once, to compare its sha256 with the previous
manifest: that read, not the copy, is most of what is left. The same again with the office's
key and PUSTAKA_BACKUP_ENCRYPT=true. Last, the peak memory (max RSS) of a process encrypting, then
decrypting, one file of --big-mb against the same process sealing a 1 MB file: AES-GCM in 1 MB
chunks keeps it flat.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from library.moving.backups import Instance, Sealing, make_backup
from library.moving.sealing import BackupKey
from library.settings import Settings
from runtime.backup_plan import instance_of

FIRST = dt.datetime(2026, 11, 1, 18, 30, tzinfo=dt.UTC)
PUSTAKA = "from cli import main; main()"
SEAL = """
import resource
import sys
from pathlib import Path
from library.moving.sealing import BackupKey, seal_file, sealed_digest
key = BackupKey.of(bytes(32))
source, target = Path(sys.argv[1]), Path(sys.argv[2])
seal_file(source, target, key, "files/big")
sealed_digest(target, key, "files/big")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def pustaka(env: dict[str, str], *args: str) -> tuple[float, str]:
    """Run one `pustaka` command in a new process; return its wall seconds and output."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PUSTAKA, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"pustaka {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start, done.stdout


def fill_store(files: Path, megabytes: int) -> None:
    """Write random files summing to `megabytes` into the file store."""
    count = max(megabytes // 5, 1)
    for n in range(count):
        folder = files / f"{n:02x}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{n:064x}").write_bytes(os.urandom(megabytes * 1024 * 1024 // count))


def two_backups(instance: Instance, folder: Path, sealing: Sealing, label: str, repeats: int) -> None:
    """Time a first backup (into an empty folder) and a second beside it (median of `repeats`); ratios."""
    firsts, seconds = [], []
    for n in range(repeats):
        chain = folder / str(n)
        for made_at, kept in ((FIRST, firsts), (FIRST + dt.timedelta(days=1), seconds)):
            start = time.perf_counter()
            made = make_backup(
                instance, chain / made_at.strftime("%Y-%m-%dT%H%M%SZ"), release="bench", schema="bench",
                made_at=made_at, sealing=sealing, progress=lambda step: None,
            )  # fmt: skip
            kept.append((time.perf_counter() - start, made))
    t1, first = statistics.median(t for t, _ in firsts), firsts[0][1]
    t2, second = statistics.median(t for t, _ in seconds), seconds[0][1]
    print(
        f"{label:10} first: {t1:5.2f} s, {first.written / 1e6:6.1f} MB written | second: {t2:5.2f} s, "
        f"{second.written / 1e6:4.1f} MB written, {second.linked} of {second.files} files linked | "
        f"time {t2 / t1:.2f}x, bytes {second.written / first.written:.4f}x"
    )


def peak_rss(source: Path, target: Path) -> int:
    """Return the peak RSS (KB) of a new process sealing and reading back one file (as it reports it)."""
    done = subprocess.run(
        [sys.executable, "-c", SEAL, str(source), str(target)], check=True, capture_output=True, text=True
    )
    return int(done.stdout.split()[-1])


def main() -> None:
    """Measure and print the backups' figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--store-mb", type=int, default=200, help="size of the file store")
    parser.add_argument("--big-mb", type=int, default=200, help="size of the file sealed for peak memory")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pustaka-backup-bench-") as scratch:
        root = Path(scratch)
        env = {**os.environ, "PUSTAKA_INSTANCE_DIR": str(root / "instance"), "PUSTAKA_LOG_LEVEL": "WARNING"}
        start_up, _ = pustaka(env, "db", "upgrade")
        fill_store(root / "instance" / "files", args.store_mb)
        seconds, _said = pustaka({**env, "PUSTAKA_BACKUP_DIR": str(root / "cli")}, "backup")
        print(f"`pustaka backup` (a new process, as the timer runs it): {seconds:.2f} s")
        instance = instance_of(Settings.from_env(env))
        two_backups(instance, root / "plain", Sealing(), "plain", args.repeats)
        key = BackupKey.of(os.urandom(32))
        two_backups(instance, root / "sealed", Sealing(key, encrypt=True), "encrypted", args.repeats)
        small, big = root / "small", root / "big"
        small.write_bytes(os.urandom(1024 * 1024))
        with open(big, "wb") as stream:
            for _ in range(args.big_mb):
                stream.write(os.urandom(1024 * 1024))
        baseline = peak_rss(small, root / "small.sealed")
        measured = peak_rss(big, root / "big.sealed")
        print(
            f"peak memory sealing and reading back {args.big_mb} MB: {measured / 1024:.0f} MB "
            f"against {baseline / 1024:.0f} MB for 1 MB ({measured / baseline:.2f}x)"
        )


if __name__ == "__main__":
    main()
