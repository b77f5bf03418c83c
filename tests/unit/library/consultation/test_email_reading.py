"""An email read for the consultation desk: who, what it answers, what it says, its files, or why aside."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from library.consultation.by_email.bodies import html_to_text, trimmed
from library.consultation.by_email.reading import Aside, read_mail
from library.consultation.channels import Inbound

NOW = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
OWN = frozenset({"pst@bps.example.id"})


def compose(text: str = "Berapa jumlah penduduk?", html: str = "", **headers: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = headers.pop("From", "Ani Suryani <Ani@Example.ID>")
    mail["To"] = "pst@bps.example.id"
    mail["Subject"] = headers.pop("Subject", "Data penduduk")
    mail["Date"] = "Mon, 23 Nov 2026 09:00:00 +0700"
    if "Message_ID" not in headers:
        mail["Message-ID"] = "<q1@example.id>"
    headers.pop("Message_ID", None)
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    if text:
        mail.set_content(text)
    if html:
        if text:
            mail.add_alternative(html, subtype="html")
        else:
            mail.set_content(html, subtype="html")
    return mail


def inbound(mail: EmailMessage) -> Inbound:
    read = read_mail(bytes(mail), OWN, NOW)
    assert isinstance(read, Inbound), read
    return read


def test_a_plain_email_gives_its_sender_subject_time_and_text() -> None:
    read = inbound(compose())
    assert (read.sender, read.name, read.subject) == ("ani@example.id", "Ani Suryani", "Data penduduk")
    assert read.external_id == "<q1@example.id>" and read.text == "Berapa jumlah penduduk?"
    assert read.at == dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def test_a_reply_names_the_ids_it_answers_in_reply_to_first() -> None:
    read = inbound(compose(In_Reply_To="<b@pst>", References="<a@pst> <b@pst>"))
    assert read.refers_to == ("<b@pst>", "<a@pst>")


def test_an_email_without_a_message_id_gets_the_same_made_up_id_each_time() -> None:
    mail = compose(Message_ID="")
    first, again = inbound(mail), inbound(mail)
    assert first.external_id == again.external_id and first.external_id.startswith("<")
    assert inbound(compose(Message_ID="", text="lain")).external_id != first.external_id


def test_a_date_in_the_future_or_missing_is_taken_as_now() -> None:
    mail = compose()
    mail.replace_header("Date", "Mon, 23 Nov 2099 09:00:00 +0700")
    assert inbound(mail).at == NOW
    del mail["Date"]
    assert inbound(mail).at == NOW


def test_html_only_mail_is_read_as_text_without_scripts_or_the_quoted_reply() -> None:
    html = (
        "<html><head><style>p{color:red}</style></head><body><p>Mohon data&nbsp;inflasi</p>"
        "<div>2024 &amp; 2025</div><script>alert(1)</script>"
        '<div class="gmail_quote">On Mon, Budi wrote:<blockquote>old text</blockquote></div></body></html>'
    )
    assert inbound(compose(text="", html=html)).text == "Mohon data inflasi\n\n2024 & 2025"


def test_plain_text_is_preferred_to_html() -> None:
    assert inbound(compose(text="teks", html="<p>html</p>")).text == "teks"


@pytest.mark.parametrize(
    "tail",
    [
        "\n\nOn Mon, 23 Nov 2026 at 10:00, PST BPS <pst@bps.example.id> wrote:\n> Jawaban kami\n> lagi",
        "\n\nPada tanggal Sen, 23 Nov 2026 pukul 10.00 PST BPS <pst@bps.example.id>\nmenulis:\n> Jawaban",
        "\n\n-----Original Message-----\nFrom: PST\nSent: Monday\n\nJawaban",
        "\n\nFrom: PST BPS <pst@bps.example.id>\nSent: Monday, 23 November 2026 10:00\nTo: Ani\n\nJawaban",
        "\n\n-- \nAni Suryani\nDinas Kesehatan",
        "\n\nSent from my iPhone",
        "\n\n> Jawaban kami\n> lagi",
    ],
)
def test_quoted_history_and_signatures_are_trimmed(tail: str) -> None:
    assert trimmed("Terima kasih, tapi tahun 2023?" + tail) == "Terima kasih, tapi tahun 2023?"


def test_a_text_that_is_all_quote_is_kept_whole() -> None:
    assert trimmed("> hanya kutipan") == "> hanya kutipan"


def test_html_blocks_become_lines() -> None:
    assert (
        html_to_text("<p>satu</p><p>dua<br>tiga</p><ul><li>a</li><li>b</li></ul>")
        == "satu\n\ndua\ntiga\n\na\nb"
    )


def test_attached_files_are_read_but_not_pictures_inside_the_html_body() -> None:
    mail = compose(text="lihat lampiran", html='<p>lihat <img src="cid:logo"></p>')
    html_part = mail.get_payload()[1]  # type: ignore[index]
    html_part.add_related(b"\x89PNG\r\n\x1a\nlogo", maintype="image", subtype="png", cid="<logo>")
    mail.add_attachment(b"%PDF-1.4 data", maintype="application", subtype="pdf", filename="tabel.pdf")
    mail.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="data.csv")
    read = inbound(mail)
    assert [(f.name, f.media_type, f.data) for f in read.files] == [
        ("tabel.pdf", "application/pdf", b"%PDF-1.4 data"),
        ("data.csv", "text/csv", b"a,b\n1,2\n"),
    ]
    assert read.text == "lihat lampiran"


def test_an_attachment_without_a_name_is_called_lampiran() -> None:
    mail = compose()
    mail.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf")
    assert inbound(mail).files[0].name == "lampiran"


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"Auto_Submitted": "auto-replied"}, "Auto-Submitted"),
        ({"Auto_Submitted": "auto-generated; owner-email=x@y"}, "Auto-Submitted"),
        ({"X_Auto_Response_Suppress": "All"}, "automatic reply"),
        ({"Precedence": "bulk"}, "bulk"),
        ({"Precedence": "list"}, "bulk"),
        ({"List_Id": "<berita.example.id>"}, "mailing-list"),
        ({"List_Unsubscribe": "<mailto:stop@example.id>"}, "mailing-list"),
        ({"Return_Path": "<>"}, "bounce"),
        ({"From": "MAILER-DAEMON@mx.example.id"}, "bounce"),
        ({"From": "Mail Delivery System <postmaster@mx.example.id>"}, "bounce"),
        ({"From": "PST <PST@bps.example.id>"}, "loop"),
        ({"From": "undisclosed-recipients:;"}, "no sender"),
    ],
)
def test_mail_no_person_wrote_is_set_aside_with_the_reason(headers: dict[str, str], why: str) -> None:
    read = read_mail(bytes(compose(**headers)), OWN, NOW)
    assert isinstance(read, Aside) and why in read.note
    assert read.external_id == "<q1@example.id>"


def test_auto_submitted_no_is_a_person_writing() -> None:
    assert isinstance(read_mail(bytes(compose(Auto_Submitted="no")), OWN, NOW), Inbound)


def test_a_delivery_status_notification_is_set_aside() -> None:
    report = (
        b"From: Ani <ani@example.id>\r\nSubject: Undelivered\r\nMessage-ID: <dsn1@mx>\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; x@example.id\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n"
    )
    read = read_mail(report, OWN, NOW)
    assert isinstance(read, Aside) and "delivery-status" in read.note


def test_broken_bytes_are_read_without_an_error() -> None:
    raw = (
        b"From: \xff\xfe <ani@example.id>\r\nSubject: =?bogus?Q?x?=\r\n"
        b"Content-Type: text/plain; charset=x-unknown\r\n\r\n\xff ok"
    )
    read = read_mail(raw, OWN, NOW)
    assert isinstance(read, Inbound) and read.sender == "ani@example.id" and "ok" in read.text


def test_an_encoded_name_with_a_comma_is_read_whole() -> None:
    raw = b"From: =?utf-8?q?Dewi=2C_Sari_S=C3=A1ri?= <Sari@Example.id>\r\nMessage-ID: <n@x>\r\n\r\nhalo\r\n"
    read = read_mail(raw, OWN, NOW)
    assert isinstance(read, Inbound)
    assert (read.name, read.sender) == ("Dewi, Sari Sári", "sari@example.id")
