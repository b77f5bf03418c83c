"""The smallest SKM sample PermenPANRB 14/2017 expects for a period: the Krejcie-Morgan table.

The regulation sizes the sample from the period's population of service users (N) with the
table of Krejcie and Morgan (1970), which is their formula rounded to whole persons:
s = X2 N P (1 - P) / (d2 (N - 1) + X2 P (1 - P)), with X2 = 3.841 (chi-square, one degree of
freedom, 95 %), P = 0.5 and d = 0.05. N = 10 gives 10, 100 gives 80, 1000 gives 278 and a
million 384, as the table prints them.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_CHI_SQUARE = Decimal("3.841")
_P = Decimal("0.5")
_MARGIN = Decimal("0.05")


def minimum_sample(population: int) -> int:
    """Return the answers a period of `population` service users needs (Krejcie-Morgan); 0 for none."""
    if population <= 0:
        return 0
    n = Decimal(population)
    spread = _CHI_SQUARE * _P * (1 - _P)
    size = spread * n / (_MARGIN * _MARGIN * (n - 1) + spread)
    return min(population, int(size.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
