"""Indonesian sample prose, areas and chapter plans for the demo PDFs.

Nothing here may contain a word used as a `scan_keywords` entry in the demo catalogue:
those words must appear only in their own scanned publication (a test checks it).
"""

from __future__ import annotations

import datetime
import random
import re

from catalog_data.records import DemoPublication, OfficeRecord

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

# The office's areas as table rows: (unit of the rows, names).
AREAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "1872": ("Kecamatan", ("Metro Selatan", "Metro Barat", "Metro Timur", "Metro Pusat", "Metro Utara")),
    "1805": (
        "Kecamatan",
        (
            "Banjar Agung",
            "Banjar Margo",
            "Banjar Baru",
            "Gedung Aji",
            "Penawar Aji",
            "Meraksa Aji",
            "Menggala",
            "Penawar Tama",
            "Rawajitu Selatan",
            "Gedung Meneng",
            "Rawajitu Timur",
            "Rawa Pitu",
            "Gedung Aji Baru",
            "Dente Teladas",
            "Menggala Timur",
        ),
    ),
    "1600": (
        "Kabupaten/Kota",
        (
            "Ogan Komering Ulu",
            "Ogan Komering Ilir",
            "Muara Enim",
            "Lahat",
            "Musi Rawas",
            "Musi Banyuasin",
            "Banyuasin",
            "OKU Selatan",
            "OKU Timur",
            "Ogan Ilir",
            "Empat Lawang",
            "PALI",
            "Musi Rawas Utara",
            "Palembang",
            "Prabumulih",
            "Pagar Alam",
            "Lubuklinggau",
        ),
    ),
    "1674": (
        "Kecamatan",
        (
            "Lubuklinggau Barat I",
            "Lubuklinggau Barat II",
            "Lubuklinggau Selatan I",
            "Lubuklinggau Selatan II",
            "Lubuklinggau Timur I",
            "Lubuklinggau Timur II",
            "Lubuklinggau Utara I",
            "Lubuklinggau Utara II",
        ),
    ),
}
# Kecamatan editions list their kelurahan/kampung, keyed by the kecamatan code in the
# Katalog BPS number (1102001.1872020).
SUBAREAS: dict[str, tuple[str, ...]] = {
    "1872020": ("Metro", "Imopuro", "Hadimulyo Barat", "Hadimulyo Timur", "Yosomulyo"),
    "1872021": ("Banjarsari", "Purwosari", "Purwoasri", "Karangrejo"),
    "1872030": ("Iringmulyo", "Yosodadi", "Yosorejo", "Tejoagung", "Tejosari"),
    "1805060": (
        "Menggala Kota",
        "Menggala Tengah",
        "Ujung Gunung",
        "Ujung Gunung Ilir",
        "Bedarou Indah",
        "Kibang",
        "Tiuh Tohou",
        "Sidomukti",
    ),
    "1805110": (
        "Bumi Dipasena Jaya",
        "Bumi Dipasena Mulya",
        "Bumi Dipasena Utama",
        "Bumi Dipasena Sejahtera",
        "Bumi Dipasena Agung",
        "Bumi Dipasena Makmur",
    ),
    "1674010": (
        "Jukung",
        "Lubuk Tanjung",
        "Bandung Ujung",
        "Bandung Kiri",
        "Cereme Taba",
        "Air Kuti",
        "Taba Jemekeh",
        "Karya Bakti",
    ),
}
CITIES = {"1872": "Metro", "1805": "Menggala", "1600": "Palembang", "1674": "Lubuklinggau"}

# Chapters per subject: (Indonesian title, English title, table ids from tables.TABLES).
CHAPTERS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "Statistik Umum": (
        ("Geografi dan Iklim", "Geography and Climate", ("luas", "iklim")),
        ("Pemerintahan", "Government", ("pemerintahan",)),
        (
            "Penduduk dan Ketenagakerjaan",
            "Population and Employment",
            ("penduduk", "umur", "angkatan_kerja", "sektor", "pengangguran"),
        ),
        (
            "Sosial dan Kesejahteraan Rakyat",
            "Social Affairs and Welfare",
            ("sekolah", "partisipasi", "fasilitas_kesehatan", "keluhan", "kemiskinan"),
        ),
        ("Harga dan Inflasi", "Prices and Inflation", ("ihk", "inflasi_kelompok")),
        ("Pertanian", "Agriculture", ("padi", "palawija")),
        ("Industri", "Industry", ("industri",)),
        ("Transportasi", "Transportation", ("jalan", "kendaraan")),
        ("Pariwisata", "Tourism", ("hotel",)),
        ("Keuangan Daerah", "Regional Finance", ("keuangan",)),
        ("Neraca Ekonomi", "Regional Accounts", ("pdrb", "pdrb_laju", "pdrb_pengeluaran")),
    ),
    "Kependudukan": (
        ("Jumlah dan Persebaran Penduduk", "Population Size and Distribution", ("penduduk",)),
        ("Struktur Umur Penduduk", "Age Structure", ("umur",)),
        ("Penduduk Usia Kerja", "Working-Age Population", ("angkatan_kerja",)),
    ),
    "Ketenagakerjaan": (
        ("Angkatan Kerja", "Labour Force", ("angkatan_kerja",)),
        ("Penduduk yang Bekerja", "Employed Population", ("sektor",)),
        ("Pengangguran", "Unemployment", ("pengangguran",)),
    ),
    "Kemiskinan": (
        ("Perkembangan Kemiskinan", "Poverty Trends", ("kemiskinan",)),
        ("Karakteristik Penduduk Miskin", "Characteristics of the Poor", ("sektor", "sekolah")),
    ),
    "Pendidikan": (
        ("Sarana Pendidikan", "Schools", ("sekolah",)),
        ("Partisipasi Sekolah", "School Participation", ("partisipasi",)),
    ),
    "Kesehatan": (
        ("Fasilitas Kesehatan", "Health Facilities", ("fasilitas_kesehatan",)),
        ("Derajat Kesehatan", "Health Status", ("keluhan",)),
    ),
    "Pertanian": (
        ("Tanaman Pangan", "Food Crops", ("padi", "palawija")),
        ("Iklim", "Climate", ("iklim",)),
    ),
    "Industri": (("Industri Mikro dan Kecil", "Micro and Small Industry", ("industri", "sektor")),),
    "Harga": (
        ("Indeks Harga Konsumen", "Consumer Price Index", ("ihk",)),
        ("Inflasi menurut Kelompok", "Inflation by Group", ("inflasi_kelompok",)),
    ),
    "Neraca Ekonomi": (
        ("PDRB menurut Lapangan Usaha", "GRDP by Industry", ("pdrb", "pdrb_adhk", "pdrb_distribusi")),
        ("Pertumbuhan Ekonomi", "Economic Growth", ("pdrb_laju",)),
        ("PDRB menurut Pengeluaran", "GRDP by Expenditure", ("pdrb_pengeluaran",)),
    ),
    "Sosial Budaya": (
        ("Pembangunan Manusia", "Human Development", ("ipm",)),
        ("Pendidikan dan Kesehatan", "Education and Health", ("partisipasi", "keluhan")),
        ("Kemiskinan", "Poverty", ("kemiskinan",)),
    ),
    "Pariwisata": (
        ("Akomodasi", "Accommodation", ("hotel",)),
        ("Geografi dan Iklim", "Geography and Climate", ("luas", "iklim")),
    ),
    "Transportasi": (
        ("Jalan", "Roads", ("jalan",)),
        ("Kendaraan Bermotor", "Motor Vehicles", ("kendaraan",)),
    ),
    "Keuangan": (
        ("Pendapatan Daerah", "Regional Revenue", ("keuangan",)),
        ("Ekonomi Daerah", "Regional Economy", ("pdrb_pengeluaran",)),
    ),
}

GENERAL = (
    "Data pada bab ini bersumber dari hasil kegiatan statistik {office} dan instansi terkait.",
    "Angka yang disajikan untuk tahun {t} merupakan angka sementara "
    "dan dapat diperbaiki pada terbitan berikutnya.",
    "Perbedaan angka di belakang koma dapat terjadi karena pembulatan.",
    "Penyajian menurut {unit_l} memudahkan pembaca membandingkan keadaan antarwilayah.",
    "Konsep dan definisi yang digunakan mengacu pada standar yang berlaku secara nasional.",
    "Pembaca disarankan memperhatikan catatan teknis pada setiap tabel sebelum menggunakan data.",
    "Selama periode {t0}-{t}, indikator ini menunjukkan kecenderungan yang relatif stabil.",
    "Dibandingkan tahun {tp}, terjadi perubahan sebesar {p} persen.",
)
TOPICS: dict[str, tuple[str, ...]] = {
    "luas": ("Luas wilayah {w} tercatat {n} km² yang terbagi ke dalam beberapa {unit_l}.",),
    "iklim": (
        "Suhu udara rata-rata sepanjang tahun {t} berkisar {a} derajat "
        "Celsius, dengan curah hujan tertinggi pada bulan {bulan}.",
    ),
    "pemerintahan": ("Secara administratif, {w} terdiri atas {k} {unit_l} dengan {n} rukun tetangga.",),
    "penduduk": (
        "Jumlah penduduk {w} pada tahun {t} sebanyak {n} jiwa dengan rasio jenis kelamin sebesar {a}.",
        "Laju pertumbuhan penduduk per tahun selama {t0}-{t} sebesar {p} persen.",
    ),
    "umur": ("Penduduk usia produktif 15-64 tahun mencakup sekitar {p} persen dari seluruh penduduk.",),
    "angkatan_kerja": (
        "Tingkat partisipasi angkatan kerja pada {t} mencapai {p} persen, "
        "sedangkan tingkat pengangguran terbuka sebesar {a} persen.",
    ),
    "sektor": (
        "Sekitar {p} persen penduduk bekerja di lapangan usaha "
        "perdagangan serta jasa pendidikan dan kesehatan.",
    ),
    "pengangguran": ("Tingkat pengangguran terbuka tertinggi ditemukan pada penduduk berpendidikan SMK.",),
    "kemiskinan": (
        "Garis kemiskinan pada {t} tercatat sebesar Rp{n} per kapita per bulan.",
        "Persentase penduduk miskin tercatat {a} persen, turun dibandingkan keadaan tahun {tp}.",
    ),
    "sekolah": (
        "Pada tahun ajaran {t}/{t1} terdapat {n} murid yang diajar "
        "oleh {k} guru pada seluruh jenjang pendidikan.",
    ),
    "partisipasi": ("Angka partisipasi sekolah penduduk usia 16-18 tahun mencapai {p} persen.",),
    "fasilitas_kesehatan": (
        "Fasilitas kesehatan yang tersedia meliputi rumah sakit, "
        "puskesmas, klinik, dan apotek di seluruh {unit_l}.",
    ),
    "keluhan": (
        "Persentase penduduk yang mempunyai keluhan kesehatan dalam sebulan terakhir sebesar {p} persen.",
    ),
    "padi": (
        "Produksi padi tahun {t} mencapai {n} ton gabah kering giling "
        "dengan produktivitas {a} kuintal per hektare.",
    ),
    "palawija": ("Jagung dan ubi kayu masih menjadi komoditas palawija dengan luas panen terbesar.",),
    "industri": (
        "Jumlah usaha industri mikro dan kecil pada {t} tercatat {n} usaha yang menyerap {k} tenaga kerja.",
    ),
    "ihk": (
        "Inflasi tahun kalender {t} tercatat sebesar {a} persen dengan "
        "inflasi bulanan tertinggi pada bulan {bulan}.",
    ),
    "inflasi_kelompok": ("Kelompok makanan, minuman, dan tembakau memberikan andil inflasi terbesar.",),
    "pdrb": (
        "Nilai PDRB atas dasar harga berlaku pada {t} mencapai Rp{n} miliar.",
        "Perekonomian tumbuh sebesar {a} persen dibandingkan tahun sebelumnya.",
    ),
    "pdrb_adhk": ("PDRB atas dasar harga konstan 2010 pada {t} mencapai Rp{n} miliar.",),
    "pdrb_distribusi": (
        "Tiga kategori lapangan usaha terbesar menyumbang sekitar {p} persen dari seluruh PDRB.",
    ),
    "pdrb_laju": (
        "Laju pertumbuhan tertinggi dicapai oleh kategori jasa keuangan dan asuransi sebesar {a} persen.",
    ),
    "pdrb_pengeluaran": (
        "Konsumsi rumah tangga mendominasi PDRB menurut pengeluaran dengan kontribusi {p} persen.",
    ),
    "ipm": ("Indeks Pembangunan Manusia {w} tahun {t} mencapai {a} dan termasuk kategori tinggi.",),
    "hotel": ("Tingkat penghunian kamar hotel rata-rata sepanjang {t} sebesar {p} persen.",),
    "kendaraan": (
        "Sepeda motor merupakan jenis kendaraan bermotor terbanyak, "
        "mencapai {p} persen dari seluruh kendaraan.",
    ),
    "jalan": ("Sebagian besar jalan kabupaten/kota berada dalam kondisi baik dan sedang.",),
    "keuangan": (
        "Realisasi pendapatan daerah pada {t} mencapai {p} persen dari "
        "anggaran, dengan dana transfer sebagai sumber terbesar.",
    ),
}
ENGLISH = (
    "This chapter presents data compiled by {office_en} and related agencies.",
    "Figures for {t} are preliminary and may be revised in later editions.",
    "Totals may differ slightly from the sum of their parts because of rounding.",
    "Concepts and definitions follow the national standards used by BPS.",
    "The indicator moved within a narrow range over {t0}-{t}.",
    "Readers should consult the technical notes below each table before using the data.",
)


def indonesian_date(day: datetime.date) -> str:
    """Format a date the Indonesian way: 28 Februari 2024."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def reference_year(pub: DemoPublication) -> int:
    """Return the last year of the reference period that is not after the release year."""
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", pub.reference_period)]
    usable = [y for y in years if y <= pub.year]
    return max(usable) if usable else pub.year - 1


def area_name(pub: DemoPublication, office: OfficeRecord) -> str:
    """Return the area a publication covers: "Kota Metro", "Kecamatan Metro Pusat"."""
    match = re.match(r"(Kecamatan .+?) Dalam Angka", pub.title)
    return match.group(1) if match else office.name.removeprefix("BPS ")


def rows_for(pub: DemoPublication) -> tuple[str, tuple[str, ...]]:
    """Return the unit and names of the area rows in this publication's tables."""
    suffix = pub.katalog_bps.partition(".")[2]
    if suffix in SUBAREAS:
        return "Kelurahan/Kampung", SUBAREAS[suffix]
    return AREAS[pub.office]


def labels(pub: DemoPublication, office: OfficeRecord) -> dict[str, str]:
    """Return the placeholders shared by every sentence and table title."""
    unit, _ = rows_for(pub)
    base = {
        "w": area_name(pub, office),
        "unit": unit,
        "unit_l": unit.lower(),
        "office": office.name,
        "office_en": office.name_en,
    }
    return for_year(base, reference_year(pub))


def for_year(base: dict[str, str], year: int) -> dict[str, str]:
    """Return the placeholders with the reference year (and the years around it) set."""
    return dict(base, t=str(year), t0=str(year - 4), tp=str(year - 1), t1=str(year + 1))


def paragraph(
    rng: random.Random, topics: tuple[str, ...], base: dict[str, str], sentences: int, english: bool = False
) -> str:
    """Compose a paragraph of sample prose about the given table topics."""
    pool = list(ENGLISH) if english else [s for t in topics for s in TOPICS.get(t, ())]
    if not english:
        pool += rng.sample(GENERAL, k=min(len(GENERAL), max(1, sentences - len(pool))))
    chosen = pool[:sentences] if not english else rng.sample(pool, k=min(sentences, len(pool)))
    values = dict(base)
    values.update(
        n=f"{rng.randint(12_000, 480_000):,}".replace(",", "."),
        k=str(rng.randint(5, 60)),
        p=f"{rng.uniform(1, 78):.2f}".replace(".", ","),
        a=f"{rng.uniform(2, 90):.2f}".replace(".", ","),
        bulan=rng.choice(MONTHS),
    )
    return " ".join(s.format(**values) for s in chosen)


def foreword(pub: DemoPublication, office: OfficeRecord) -> list[str]:
    """Return the paragraphs of the Kata Pengantar, closing with place, date and signer."""
    area = area_name(pub, office)
    if pub.language == "en":
        return [
            f"{pub.title} is published by {office.name_en} to give data users current and "
            f"accessible statistical information on {area}.",
            "Many parties contributed to this publication. We thank the government agencies, "
            "businesses and respondents who helped provide the data.",
            "Suggestions for improving the next edition are welcome. We hope this publication "
            "is useful for planning and evaluating development.",
            f"{CITIES[pub.office]}, {pub.scheduled_release:%B} {pub.scheduled_release.day}, {pub.year}",
            f"Chief Statistician of {office.name_en.removeprefix('BPS-Statistics of ')}",
        ]
    return [
        f"Publikasi {pub.title} diterbitkan oleh {office.name} untuk memenuhi kebutuhan "
        f"pengguna data akan informasi statistik {area} yang mutakhir dan mudah diakses.",
        "Penyusunan publikasi ini melibatkan banyak pihak. Kami menyampaikan terima kasih "
        "kepada instansi pemerintah, swasta, dan responden yang telah membantu penyediaan data.",
        "Saran dan kritik yang membangun sangat kami harapkan untuk perbaikan terbitan "
        "berikutnya. Semoga publikasi ini bermanfaat bagi perencanaan dan evaluasi pembangunan.",
        f"{CITIES[pub.office]}, {indonesian_date(pub.scheduled_release)}",
        f"Kepala Badan Pusat Statistik {office.name.removeprefix('BPS ')}",
    ]
