"""The search benchmark's corpus: seeded statistical publications in Indonesian (some English)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from search.engine import PageText, PublicationDoc

REGIONS = [
    "Metro Pusat",
    "Metro Barat",
    "Metro Timur",
    "Metro Selatan",
    "Metro Utara",
    "Menggala",
    "Banjar Agung",
    "Gedung Aji",
    "Penawar Tama",
    "Rawajitu Selatan",
    "Lubuklinggau Barat",
    "Lubuklinggau Timur",
    "Sumberjaya",
    "Palembang",
    "Prabumulih",
]
INDICATORS = [
    "jumlah penduduk",
    "laju pertumbuhan penduduk",
    "kepadatan penduduk",
    "tingkat pengangguran terbuka",
    "tingkat partisipasi angkatan kerja",
    "produksi padi",
    "luas panen padi",
    "produksi jagung",
    "produksi kelapa sawit",
    "indeks harga konsumen",
    "inflasi",
    "nilai ekspor",
    "nilai impor",
    "jumlah rumah tangga",
    "persentase penduduk miskin",
    "pengeluaran per kapita",
    "pendapatan regional",
    "jumlah sekolah",
    "jumlah murid",
    "angka partisipasi sekolah",
    "jumlah tenaga kesehatan",
    "jumlah kelahiran",
    "jumlah kematian",
    "populasi ternak sapi",
    "produksi perikanan tangkap",
    "jumlah wisatawan",
    "tingkat hunian kamar hotel",
    "panjang jalan",
    "jumlah kendaraan bermotor",
    "produk domestik regional bruto",
    "indeks pembangunan manusia",
    "upah minimum",
]
DIMENSIONS = [
    "kecamatan",
    "jenis kelamin",
    "kelompok umur",
    "lapangan usaha",
    "bulan",
    "jenis komoditas",
    "tingkat pendidikan",
    "status pekerjaan",
    "desa kelurahan",
    "kabupaten kota",
    "triwulan",
    "golongan pengeluaran",
]
UNITS = ["jiwa", "ton", "hektar", "persen", "rupiah", "unit", "orang", "kilometer", "rumah tangga"]
CONNECTIVES = [
    "Pada tahun {year}",
    "Dibandingkan tahun sebelumnya",
    "Secara umum",
    "Berdasarkan hasil survei",
    "Menurut data Badan Pusat Statistik",
    "Selama periode {year}",
    "Sementara itu",
    "Di sisi lain",
]
VERBS = [
    "meningkat",
    "menurun",
    "tercatat",
    "mencapai",
    "mengalami kenaikan sebesar",
    "mengalami penurunan sebesar",
    "relatif stabil pada",
]
SUBJECTS = [
    "Kependudukan",
    "Ketenagakerjaan",
    "Pertanian",
    "Harga",
    "Industri",
    "Perdagangan",
    "Pendidikan",
    "Kesehatan",
    "Pariwisata",
    "Transportasi",
    "Kemiskinan",
    "Neraca Regional",
]
TYPES = ["Dalam Angka", "Statistik Daerah", "Berita Resmi Statistik", "Publikasi Tematik"]
OFFICES = [
    ("1872", "BPS Kota Metro"),
    ("1805", "BPS Kabupaten Tulang Bawang"),
    ("1600", "BPS Provinsi Sumatera Selatan"),
    ("1674", "BPS Kota Lubuklinggau"),
    ("1800", "BPS Provinsi Lampung"),
    ("1871", "BPS Kota Bandar Lampung"),
]
ENGLISH = [
    "population",
    "growth rate",
    "unemployment rate",
    "labour force participation",
    "rice production",
    "harvested area",
    "consumer price index",
    "inflation",
    "exports",
    "imports",
    "households",
    "poverty",
    "per capita expenditure",
]


@dataclass
class Corpus:
    """Publications generated for one run, with the ids and words the queries use."""

    docs: list[PublicationDoc]
    pages: int


def _number(rng: random.Random) -> str:
    """Return a table figure, written the Indonesian way (1.234 or 12,34)."""
    if rng.random() < 0.5:
        return f"{rng.randint(1, 999)}.{rng.randint(0, 999):03d}"
    return f"{rng.randint(0, 99)},{rng.randint(0, 99):02d}"


def _typo(word: str, rng: random.Random) -> str:
    """Return the word with two letters swapped, as OCR and typists do now and then."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _indonesian_page(rng: random.Random, year: int, number: int) -> str:
    """Return a page of an Indonesian publication: a table title, sentences with figures, table rows."""
    indicator = rng.choice(INDICATORS)
    dimension = rng.choice(DIMENSIONS)
    lines = [
        f"Tabel {number}.{rng.randint(1, 20)} {indicator.title()} menurut "
        f"{dimension.title()} di {rng.choice(REGIONS)}, {year}"
    ]
    for _ in range(rng.randint(6, 10)):
        sentence = (
            f"{rng.choice(CONNECTIVES).format(year=year)}, {rng.choice(INDICATORS)} di "
            f"Kecamatan {rng.choice(REGIONS)} {rng.choice(VERBS)} {_number(rng)} "
            f"{rng.choice(UNITS)} dari {_number(rng)} {rng.choice(UNITS)} pada tahun "
            f"{year - 1} menurut {rng.choice(DIMENSIONS)}."
        )
        if rng.random() < 0.02:
            words = sentence.split()
            k = rng.randrange(len(words))
            words[k] = _typo(words[k], rng)
            sentence = " ".join(words)
        lines.append(sentence)
    for region in rng.sample(REGIONS, 8):
        lines.append(f"{region} " + " ".join(_number(rng) for _ in range(5)))
    return "\n".join(lines)


def _english_page(rng: random.Random, year: int) -> str:
    """Return a page of an English publication: twelve sentences comparing figures with the year before."""
    lines = []
    for _ in range(12):
        lines.append(
            f"In {year} the {rng.choice(ENGLISH)} in {rng.choice(REGIONS)} was "
            f"{_number(rng)} {rng.choice(['percent', 'tons', 'people'])} compared with "
            f"{_number(rng)} in {year - 1}, by {rng.choice(ENGLISH)}."
        )
    return "\n".join(lines)


def build_corpus(total_pages: int, seed: int = 20240501) -> Corpus:
    """Return seeded publications holding about `total_pages` pages in all."""
    rng = random.Random(seed)
    docs: list[PublicationDoc] = []
    made = 0
    while made < total_pages:
        size = min(raw_size(rng), total_pages - made)
        doc = publication_doc(rng, f"{len(docs):06d}", size, OFFICES)
        docs.append(doc)
        made += size
    return Corpus(docs, made)


def raw_size(rng: random.Random) -> int:
    """Return a publication's number of pages: mostly short releases, some yearbooks, a few large volumes."""
    roll = rng.random()
    if roll < 0.7:
        return rng.randint(8, 40)
    if roll < 0.95:
        return rng.randint(60, 200)
    return rng.randint(250, 500)


def publication_doc(
    rng: random.Random, number: str, size: int, offices: Sequence[tuple[str, str]]
) -> PublicationDoc:
    """Return a generated publication of `size` pages by one of the offices (sometimes in English)."""
    year = rng.randint(2010, 2024)
    code, office = rng.choice(offices)
    subject = rng.choice(SUBJECTS)
    kind = rng.choice(TYPES)
    english = rng.random() < 0.08
    pages = tuple(
        PageText(i, _english_page(rng, year) if english else _indonesian_page(rng, year, i))
        for i in range(1, size + 1)
    )
    place = office.removeprefix("BPS ")
    return PublicationDoc(
        publication_id=f"pub-{number}",
        title=f"{place} in Figures {year}" if english else f"{subject} {place} {kind} {year}",
        fingerprint=f"sha-{int(number)}",
        abstract=f"Publikasi {kind} tentang {subject.lower()} di {office} tahun {year}.",
        subject=subject,
        office_code=code,
        office_name=office,
        publication_type=kind,
        language="en" if english else "id",
        year=year,
        katalog_bps=f"{rng.randint(1101001, 9199999)}.{code}",
        nomor_publikasi=f"{code}{rng.randint(0, 9)}.{year % 100:02d}{rng.randint(1, 99):02d}",
        issn=f"{rng.randint(1000, 9999)}-{rng.randint(100, 999)}{rng.randint(0, 9)}",
        access_level=rng.choice(["terbuka", "terbuka", "terbatas"]),
        release_date=date(year, rng.randint(1, 12), rng.randint(1, 28)),
        pages=pages,
    )
