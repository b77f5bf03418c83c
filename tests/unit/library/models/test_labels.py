"""Every value of a labelled enum has words people can read."""

from __future__ import annotations

import enum

import pytest

from library.models import IngestStatus, RequestStatus
from library.models.labels import LABELS, label


@pytest.mark.parametrize("kind", sorted(LABELS, key=str))
def test_every_member_of_a_labelled_enum_has_a_label(kind: type[enum.Enum]) -> None:
    assert set(LABELS[kind]) == set(kind) and all(LABELS[kind].values())


def test_members_of_two_enums_with_one_value_keep_their_own_labels() -> None:
    assert (label(IngestStatus.READY), label(RequestStatus.READY)) == ("Ready", "Ready to download")
