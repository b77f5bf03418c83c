"""What the crop-trace benchmark's two parts share: the demo publications, the clock, names, the tally."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

BOOK = "metro-pusat-dalam-angka-2024"  # 14 born-digital pages, tables from page 5
SCAN = "metro-direktori-pasar-2019"  # four scanned pages, a table on pages 3 and 4
NOW = dt.datetime(2025, 3, 5, 7, 5, tzinfo=dt.UTC)
FIRST = "Siti Ni Luh Made Budi Agus Dewi Rina Ahmad Muhammad Yohanes Maria Theresia Wayan Ketut Andi".split()
LAST = (
    "Aminah Putu Ayu Santoso Wulandari Rahmawati Nasution Simanjuntak Hidayat Kurniawan Lubis Ginting".split()
)


@dataclass
class Tally:
    """Crops traced right, traced to a wrong session, and not traced."""

    right: int = 0
    wrong: int = 0
    none: int = 0

    @property
    def total(self) -> int:
        """Return how many crops were traced."""
        return self.right + self.wrong + self.none

    def line(self, label: str) -> str:
        """Return the tally as one line of the report."""
        n = max(self.total, 1)
        return (
            f"  {label:<44}{self.total:>5} crops  right {100 * self.right / n:5.1f} %"
            f"  WRONG {100 * self.wrong / n:4.1f} %  none {100 * self.none / n:5.1f} %"
        )


def random_name(rng: random.Random) -> str:
    """Return a reader's name of one to four words."""
    words = [rng.choice(FIRST) for _ in range(rng.randint(0, 2))] + [rng.choice(FIRST), rng.choice(LAST)]
    return " ".join(words[-rng.randint(1, len(words)) :])
