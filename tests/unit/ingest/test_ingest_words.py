"""Tesseract's TSV output turned into words, text and a confidence."""

from __future__ import annotations

from ingest.words import Word, read_tsv

HEADER = "\t".join(
    [
        "level",
        "page_num",
        "block_num",
        "par_num",
        "line_num",
        "word_num",
        "left",
        "top",
        "width",
        "height",
        "conf",
        "text",
    ]
)
ROWS = [
    "1\t1\t0\t0\t0\t0\t0\t0\t2480\t800\t-1\t",
    "2\t1\t1\t0\t0\t0\t198\t209\t863\t148\t-1\t",
    "5\t1\t1\t1\t1\t1\t198\t209\t153\t48\t96.5\tJumlah",
    "5\t1\t1\t1\t1\t2\t372\t209\t220\t48\t93.5\tpenduduk",
    "5\t1\t1\t1\t2\t1\t198\t309\t100\t48\t90\tmenurut",
    "5\t1\t1\t1\t2\t2\t310\t309\t10\t48\t95\t ",
    "5\t1\t2\t1\t1\t1\t198\t509\t120\t48\t80\tkecamatan",
]


def _scaled(left: float, top: float, width: float, height: float) -> tuple[float, ...]:
    return left / 2, top / 2, (left + width) / 2, (top + height) / 2


def test_words_keep_tesseract_lines_and_paragraphs() -> None:
    text, _, _ = read_tsv("\n".join([HEADER, *ROWS]), _scaled)
    assert text == "Jumlah penduduk\nmenurut\n\nkecamatan"


def test_each_word_box_is_placed_by_the_given_mapping() -> None:
    _, words, _ = read_tsv("\n".join([HEADER, *ROWS]), _scaled)
    assert words[1] == Word("penduduk", 186.0, 104.5, 296.0, 128.5)
    assert [w.text for w in words] == ["Jumlah", "penduduk", "menurut", "kecamatan"]


def test_the_mean_confidence_covers_the_words_only() -> None:
    _, _, confidence = read_tsv("\n".join([HEADER, *ROWS]), _scaled)
    assert confidence == 90.0


def test_a_page_without_words_has_empty_text_and_zero_confidence() -> None:
    assert read_tsv("\n".join([HEADER, *ROWS[:2]]), _scaled) == ("", (), 0.0)
