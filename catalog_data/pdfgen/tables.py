"""Statistical tables for the demo PDFs, with numbers drawn from a seeded generator."""

from __future__ import annotations

import random
from dataclasses import dataclass

from catalog_data.pdfgen.row_sets import ROW_SETS

# Column kinds: ("rand", lo, hi) additive random; ("mean", lo, hi) random, averaged in the
# total row; ("sum", (i, j, ...)); ("ratio", i, j, factor) = col i / col j * factor;
# ("share", i) = col i as a percentage of its column total.
Column = tuple[str, tuple]


@dataclass(frozen=True)
class TableSpec:
    """The shape of one statistical table; the numbers come later from the seed."""

    title: str
    rows: str  # a ROW_SETS name, "region" (the office's areas) or "years"
    columns: tuple[Column, ...]
    decimals: tuple[int, ...]
    unit: str = ""
    year_columns: bool = False  # columns are the last five years instead of `columns`

    @property
    def wide(self) -> bool:
        """Return whether the table wants a landscape page."""
        return self.year_columns and self.rows == "lapus"


def _spec(
    title: str, rows: str, cols: list[tuple[str, tuple, int]], unit: str = "", year_columns: bool = False
) -> TableSpec:
    return TableSpec(
        title, rows, tuple((c[0], c[1]) for c in cols), tuple(c[2] for c in cols), unit, year_columns
    )


R, M = "rand", "mean"
TABLES: dict[str, TableSpec] = {
    "luas": _spec(
        "Luas Daerah menurut {unit}",
        "region",
        [("Luas (km²)", (R, 8, 120), 2), ("Persentase (%)", ("share", 0), 2)],
    ),
    "iklim": _spec(
        "Suhu, Kelembapan, dan Curah Hujan menurut Bulan di {w}, {t}",
        "bulan",
        [
            ("Suhu Rata-rata (°C)", (M, 25.5, 28.9), 1),
            ("Kelembapan (%)", (M, 74, 89), 1),
            ("Curah Hujan (mm)", (R, 40, 390), 1),
            ("Hari Hujan", (R, 3, 24), 0),
        ],
    ),
    "pemerintahan": _spec(
        "Jumlah Satuan Lingkungan Setempat menurut {unit}, {t}",
        "region",
        [("Kelurahan/Desa", (R, 4, 16), 0), ("RW/Dusun", (R, 12, 60), 0), ("RT", (R, 40, 220), 0)],
    ),
    "penduduk": _spec(
        "Penduduk dan Rasio Jenis Kelamin menurut {unit} di {w}, {t}",
        "region",
        [
            ("Laki-laki", (R, 8000, 42000), 0),
            ("Perempuan", (R, 8000, 42000), 0),
            ("Jumlah", ("sum", (0, 1)), 0),
            ("Rasio Jenis Kelamin", ("ratio", 0, 1, 100), 1),
        ],
    ),
    "umur": _spec(
        "Penduduk menurut Kelompok Umur dan Jenis Kelamin di {w}, {t}",
        "umur",
        [
            ("Laki-laki", (R, 2500, 9800), 0),
            ("Perempuan", (R, 2500, 9800), 0),
            ("Jumlah", ("sum", (0, 1)), 0),
        ],
    ),
    "angkatan_kerja": _spec(
        "Indikator Ketenagakerjaan di {w}, {t0}-{t}",
        "years",
        [
            ("Angkatan Kerja", (R, 70000, 95000), 0),
            ("Bekerja", (R, 66000, 90000), 0),
            ("TPAK (%)", (M, 64, 72), 2),
            ("TPT (%)", (M, 3.1, 6.9), 2),
        ],
    ),
    "sektor": _spec(
        "Penduduk Bekerja menurut Lapangan Pekerjaan Utama di {w}, {t}",
        "sektor",
        [
            ("Laki-laki", (R, 2000, 16000), 0),
            ("Perempuan", (R, 1500, 12000), 0),
            ("Jumlah", ("sum", (0, 1)), 0),
            ("Persentase (%)", ("share", 2), 2),
        ],
    ),
    "pengangguran": _spec(
        "Tingkat Pengangguran Terbuka menurut Pendidikan di {w}, {t}",
        "jenjang",
        [("TPT Laki-laki (%)", (M, 1.5, 11), 2), ("TPT Perempuan (%)", (M, 1.5, 11), 2)],
    ),
    "kemiskinan": _spec(
        "Garis Kemiskinan dan Penduduk Miskin di {w}, {t0}-{t}",
        "years",
        [
            ("Garis Kemiskinan (Rp/kapita/bulan)", (M, 420000, 690000), 0),
            ("Penduduk Miskin (ribu)", (M, 8, 95), 2),
            ("Persentase (%)", (M, 6.5, 12.5), 2),
            ("P1", (M, 0.8, 2.1), 2),
            ("P2", (M, 0.15, 0.55), 2),
        ],
    ),
    "sekolah": _spec(
        "Jumlah Sekolah, Murid, dan Guru menurut Jenjang di {w}, {t}",
        "jenjang",
        [
            ("Sekolah", (R, 6, 90), 0),
            ("Murid", (R, 2500, 21000), 0),
            ("Guru", (R, 180, 1400), 0),
            ("Rasio Murid-Guru", ("ratio", 1, 2, 1), 1),
        ],
    ),
    "partisipasi": _spec(
        "Angka Partisipasi Sekolah menurut Kelompok Umur di {w}, {t0}-{t}",
        "years",
        [
            ("7-12 (%)", (M, 98.2, 99.9), 2),
            ("13-15 (%)", (M, 92, 99), 2),
            ("16-18 (%)", (M, 68, 86), 2),
            ("19-24 (%)", (M, 18, 42), 2),
        ],
    ),
    "fasilitas_kesehatan": _spec(
        "Jumlah Fasilitas Kesehatan menurut {unit} di {w}, {t}",
        "region",
        [
            ("Rumah Sakit", (R, 0, 3), 0),
            ("Puskesmas", (R, 1, 3), 0),
            ("Klinik", (R, 2, 14), 0),
            ("Apotek", (R, 4, 30), 0),
        ],
    ),
    "keluhan": _spec(
        "Persentase Penduduk yang Mempunyai Keluhan Kesehatan menurut Kelompok Umur, {t}",
        "umur",
        [("Mempunyai Keluhan (%)", (M, 12, 48), 2), ("Berobat Jalan (%)", (M, 30, 62), 2)],
    ),
    "padi": _spec(
        "Luas Panen, Produksi, dan Produktivitas Padi menurut {unit}, {t}",
        "region",
        [
            ("Luas Panen (ha)", (R, 300, 6200), 2),
            ("Produksi (ton GKG)", (R, 1500, 34000), 2),
            ("Produktivitas (ku/ha)", ("ratio", 1, 0, 10), 2),
        ],
    ),
    "palawija": _spec(
        "Luas Panen dan Produksi Palawija di {w}, {t}",
        "komoditas",
        [("Luas Panen (ha)", (R, 10, 2400), 0), ("Produksi (ton)", (R, 20, 26000), 0)],
    ),
    "industri": _spec(
        "Jumlah Usaha, Tenaga Kerja, dan Output Industri Mikro dan Kecil, {t0}-{t}",
        "years",
        [
            ("Usaha", (M, 1800, 5200), 0),
            ("Tenaga Kerja", (M, 4000, 13000), 0),
            ("Output (juta Rp)", (M, 250000, 990000), 0),
        ],
    ),
    "ihk": _spec(
        "Indeks Harga Konsumen dan Inflasi Bulanan di {w}, {t} (2022=100)",
        "bulan",
        [
            ("IHK", (M, 103, 109), 2),
            ("Inflasi m-to-m (%)", (M, -0.4, 0.9), 2),
            ("Inflasi y-on-y (%)", (M, 1.2, 4.8), 2),
        ],
    ),
    "inflasi_kelompok": _spec(
        "Inflasi menurut Kelompok Pengeluaran di {w}, Desember {t}",
        "kelompok",
        [
            ("IHK Des {t0}", (M, 101, 112), 2),
            ("IHK Des {t}", (M, 103, 116), 2),
            ("Andil (%)", (M, -0.05, 0.9), 4),
        ],
    ),
    "pdrb": _spec(
        "PDRB Atas Dasar Harga Berlaku menurut Lapangan Usaha di {w}, {t0}-{t}",
        "lapus",
        [("", (R, 40, 2900), 2)],
        unit="miliar rupiah",
        year_columns=True,
    ),
    "pdrb_adhk": _spec(
        "PDRB Atas Dasar Harga Konstan 2010 menurut Lapangan Usaha di {w}, {t0}-{t}",
        "lapus",
        [("", (R, 30, 2100), 2)],
        unit="miliar rupiah",
        year_columns=True,
    ),
    "pdrb_distribusi": _spec(
        "Distribusi Persentase PDRB Atas Dasar Harga Berlaku, {t0}-{t}",
        "lapus",
        [("", (M, 0.1, 24), 2)],
        unit="persen",
        year_columns=True,
    ),
    "pdrb_laju": _spec(
        "Laju Pertumbuhan PDRB Atas Dasar Harga Konstan 2010 menurut Lapangan Usaha, {t0}-{t}",
        "lapus",
        [("", (M, -4.5, 9.5), 2)],
        unit="persen",
        year_columns=True,
    ),
    "pdrb_pengeluaran": _spec(
        "PDRB Atas Dasar Harga Berlaku menurut Pengeluaran di {w}, {t}",
        "pengeluaran",
        [("Nilai (miliar Rp)", (R, 15, 6200), 2), ("Distribusi (%)", ("share", 0), 2)],
    ),
    "ipm": _spec(
        "Komponen Indeks Pembangunan Manusia di {w}, {t0}-{t}",
        "years",
        [
            ("UHH (tahun)", (M, 69.5, 72.9), 2),
            ("HLS (tahun)", (M, 12.6, 15.4), 2),
            ("RLS (tahun)", (M, 8.1, 11.4), 2),
            ("Pengeluaran (ribu Rp)", (M, 9800, 14200), 0),
            ("IPM", (M, 68.5, 79.9), 2),
        ],
    ),
    "hotel": _spec(
        "Tamu dan Tingkat Penghunian Kamar Hotel menurut Bulan di {w}, {t}",
        "bulan",
        [("Tamu Nusantara", (R, 900, 8600), 0), ("Tamu Asing", (R, 0, 140), 0), ("TPK (%)", (M, 22, 61), 2)],
    ),
    "kendaraan": _spec(
        "Jumlah Kendaraan Bermotor menurut Jenis di {w}, {t}",
        "kendaraan",
        [("Umum", (R, 40, 3200), 0), ("Pribadi", (R, 600, 98000), 0), ("Jumlah", ("sum", (0, 1)), 0)],
    ),
    "jalan": _spec(
        "Panjang Jalan menurut Kondisi di {w}, {t}",
        "jalan",
        [
            ("Jalan Negara (km)", (R, 0, 40), 2),
            ("Jalan Provinsi (km)", (R, 2, 60), 2),
            ("Jalan Kab/Kota (km)", (R, 30, 420), 2),
        ],
    ),
    "keuangan": _spec(
        "Realisasi Pendapatan Pemerintah Daerah menurut Jenis di {w}, {t}",
        "pendapatan",
        [
            ("Anggaran (juta Rp)", (R, 4000, 640000), 0),
            ("Realisasi (juta Rp)", (R, 3500, 610000), 0),
            ("Realisasi (%)", ("ratio", 1, 0, 100), 2),
        ],
    ),
}


@dataclass(frozen=True)
class StatTable:
    """A filled-in table ready to be laid out."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    unit: str
    wide: bool


def row_count(spec: TableSpec, regions: tuple[str, ...]) -> int:
    """Return how many body rows (total row included) a table will have."""
    if spec.rows == "years":
        return 5
    names = regions if spec.rows == "region" else ROW_SETS[spec.rows]
    return len(names) + (spec.rows != "bulan")


def format_number(value: float, decimals: int) -> str:
    """Format a number the Indonesian way: 12.345,67."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def _draw_values(columns: tuple[Column, ...], row_total: int, rng: random.Random) -> list[list[float]]:
    """Draw the random columns of `row_total` rows, then compute the sums and ratios from them."""
    values = [[0.0] * len(columns) for _ in range(row_total)]
    for j, (_, (kind, *args)) in enumerate(columns):
        if kind in (R, M):
            for row in values:
                row[j] = rng.uniform(args[0], args[1])
    for j, (_, (kind, *args)) in enumerate(columns):
        for row in values:
            if kind == "sum":
                row[j] = sum(row[i] for i in args[0])
            elif kind == "ratio":
                row[j] = row[args[0]] / row[args[1]] * args[2] if row[args[1]] else 0.0
    return values


def _total_row(columns: tuple[Column, ...], values: list[list[float]]) -> list[float]:
    """Return the total row, filling the share columns of `values` on the way."""
    total = [sum(col) for col in zip(*values, strict=True)]
    for j, (_, (kind, *args)) in enumerate(columns):
        if kind == "share":
            for row in values:
                row[j] = row[args[0]] / total[args[0]] * 100
            total[j] = 100.0
        elif kind == M:
            total[j] /= len(values)
        elif kind == "ratio":
            total[j] = total[args[0]] / total[args[1]] * args[2] if total[args[1]] else 0.0
    return total


def fill_table(
    spec: TableSpec,
    rng: random.Random,
    labels: dict[str, str],
    regions: tuple[str, ...],
    years: tuple[int, ...],
) -> StatTable:
    """Draw the numbers of a table from `rng` and format it."""
    row_names = {"region": regions, "years": tuple(str(y) for y in years)}.get(spec.rows) or ROW_SETS[
        spec.rows
    ]
    columns = spec.columns
    decimals = spec.decimals
    if spec.year_columns:
        columns = tuple((str(y), spec.columns[0][1]) for y in years)
        decimals = spec.decimals * len(years)
    values = _draw_values(columns, len(row_names), rng)
    total = _total_row(columns, values)
    body = [
        (name, *(format_number(v, d) for v, d in zip(row, decimals, strict=True)))
        for name, row in zip(row_names, values, strict=True)
    ]
    if spec.rows not in ("years", "bulan"):
        averaged = all(kind == M for _, (kind, *_) in columns)
        body.append(
            (
                "Rata-rata" if averaged else "Jumlah",
                *(format_number(v, d) for v, d in zip(total, decimals, strict=True)),
            )
        )
    first = {"region": labels["unit"], "years": "Tahun", "bulan": "Bulan"}.get(spec.rows, "Uraian")
    header = (first, *(name.format(**labels) for name, _ in columns))
    return StatTable(spec.title.format(**labels), header, tuple(body), spec.unit, spec.wide)
