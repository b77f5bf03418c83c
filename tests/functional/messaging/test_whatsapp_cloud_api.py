"""The Cloud API calls of a WhatsApp conversation, against the recording server playing the platform."""

from __future__ import annotations

import pytest

from library.messaging.gateways import GatewayAway, GatewayRefused
from library.messaging.whatsapp_api import CloudApi, MediaUnavailable
from tests.phone_gateway import PhoneGateway

NUMBER_ID = "1055"


def api(gateway: PhoneGateway) -> CloudApi:
    """Return the office's number on the recording server."""
    gateway.media_token = "cloud-token"
    return CloudApi(gateway.url + "/v21.0", NUMBER_ID, "cloud-token")


def test_a_text_and_a_template_are_posted_to_the_numbers_messages_with_the_token(
    phone_gateway: PhoneGateway,
) -> None:
    cloud = api(phone_gateway)
    assert cloud.send_text("+6281234567890", "Jawaban: lihat tabel 3.") == "wamid.1"
    assert cloud.send_template("+6281234567890", "pst_konsultasi_balasan", "id", ("KS-1",)) == "wamid.2"
    text, template = phone_gateway.received
    assert text.path == template.path == f"/v21.0/{NUMBER_ID}/messages"
    assert text.headers["Authorization"] == "Bearer cloud-token"
    assert text.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "6281234567890",
        "type": "text",
        "text": {"body": "Jawaban: lihat tabel 3.", "preview_url": False},
    }
    assert template.body["template"] == {
        "name": "pst_konsultasi_balasan",
        "language": {"code": "id"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "KS-1"}]}],
    }


@pytest.mark.parametrize(
    ("status", "raised"),
    [(400, GatewayRefused), (404, GatewayRefused), (429, GatewayAway), (503, GatewayAway)],
)
def test_a_refusal_is_final_and_a_busy_or_failing_platform_is_tried_again(
    phone_gateway: PhoneGateway, status: int, raised: type[Exception]
) -> None:
    phone_gateway.status = status
    with pytest.raises(raised, match="refused by the test"):
        api(phone_gateway).send_text("+628111", "x")


def test_a_platform_out_of_reach_is_tried_again() -> None:
    with pytest.raises(GatewayAway):
        CloudApi("http://127.0.0.1:9", NUMBER_ID, "t").send_text("+628111", "x")


def test_a_received_file_is_fetched_where_the_platform_says_with_the_token(
    phone_gateway: PhoneGateway,
) -> None:
    phone_gateway.media["M1"] = ("application/pdf", b"%PDF-1.4 tabel")
    fetched = api(phone_gateway).fetch_media("M1", 1000)
    assert (fetched.data, fetched.mime_type) == (b"%PDF-1.4 tabel", "application/pdf")
    assert phone_gateway.fetched == ["/v21.0/M1", "/files/M1"]


def test_a_file_larger_than_the_limit_is_not_downloaded(phone_gateway: PhoneGateway) -> None:
    phone_gateway.media["M2"] = ("image/jpeg", b"\xff\xd8\xff" + b"0" * 2000)
    with pytest.raises(MediaUnavailable) as refused:
        api(phone_gateway).fetch_media("M2", 1000)
    assert refused.value.too_large and phone_gateway.fetched == ["/v21.0/M2"]


def test_a_file_the_platform_does_not_have_is_unavailable(phone_gateway: PhoneGateway) -> None:
    with pytest.raises(MediaUnavailable, match="404") as refused:
        api(phone_gateway).fetch_media("gone", 1000)
    assert not refused.value.too_large
