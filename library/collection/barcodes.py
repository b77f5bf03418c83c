"""New barcodes for printed copies: the office's pattern, numbered past every barcode already used."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from library.models import Item
from library.uow import UnitOfWork


@dataclass(frozen=True)
class BarcodeNumbering:
    """How this office numbers its copies (PUSTAKA_ITEM_BARCODE_PATTERN and PUSTAKA_OFFICE)."""

    pattern: str = "{office}{number:06d}"  # PUSTAKA_ITEM_BARCODE_PATTERN's default too
    office: str = "1872"

    def barcode(self, number: int) -> str:
        """Return the barcode of the copy with this sequence number."""
        return self.pattern.format(office=self.office, number=number)


def new_barcodes(uow: UnitOfWork, numbering: BarcodeNumbering, wanted: int) -> list[str]:
    """Return `wanted` barcodes no item has, the lowest free numbers past the ones this pattern used."""
    if wanted <= 0:
        return []
    number = _last_number(uow, numbering)
    found: list[str] = []
    while len(found) < wanted:
        batch = [numbering.barcode(n) for n in range(number + 1, number + 1 + 2 * wanted)]
        taken = set(uow.session.scalars(select(Item.barcode).where(Item.barcode.in_(batch))))
        found.extend(b for b in batch if b not in taken and b not in found)
        number += len(batch)
    return found[:wanted]


def _last_number(uow: UnitOfWork, numbering: BarcodeNumbering) -> int:
    """Return the highest sequence number among the barcodes made with this pattern (0: none)."""
    prefix = numbering.pattern.split("{number", 1)[0].format(office=numbering.office)
    query = select(Item.barcode).where(Item.barcode.startswith(prefix, autoescape=True))
    if not prefix:
        query = select(Item.barcode)
    highest = 0
    for barcode in uow.session.scalars(query.order_by(func.length(Item.barcode).desc(), Item.barcode.desc())):
        number = _number_in(numbering, barcode)
        if number is not None:
            highest = max(highest, number)
            break
    return highest


def _number_in(numbering: BarcodeNumbering, barcode: str) -> int | None:
    """Return the sequence number this pattern would have made the barcode with, or None."""
    prefix = numbering.pattern.split("{number", 1)[0].format(office=numbering.office)
    digits = barcode[len(prefix) :]
    end = len(digits)
    while end and not digits[:end].isdigit():
        end -= 1
    if not end or numbering.barcode(int(digits[:end])) != barcode:
        return None
    return int(digits[:end])
