"""The emails about consultations, Indonesian first and English second.

Emails never carry the message itself (a thread may hold personal details): they say there
is a new message and link back to the page, where the person signs in to read it.
"""

from __future__ import annotations

from library.mail import Message, bilingual


def consultation_received(
    to: str, name: str, number: str, topic: str, link: str, *, due: tuple[str, str], days: int
) -> Message:
    """Acknowledge a consultation opened online: its number, and when the answer is due by the standard."""
    days_en = f"{days} working day{'s' if days != 1 else ''}"
    return bilingual(
        to,
        f"Konsultasi {number} sudah kami terima",
        f"We have received consultation {number}",
        f"""
Halo {name},

Konsultasi Anda "{topic}" sudah kami terima dengan nomor {number}.
Sebutkan nomor ini bila menghubungi kami.

Sesuai standar pelayanan, kami menjawab paling lambat {days} hari kerja setelah pertanyaan
jelas dan persyaratan lengkap. Bila pertanyaan Anda sudah jelas dan lengkap, jawaban kami
paling lambat {due[0]}. Bila konsultan meminta penjelasan tambahan, {days} hari kerja itu
dihitung sejak pertanyaan Anda jelas dan lengkap.

Ikuti konsultasi Anda di sini (masuk ke akun Anda lebih dulu):

{link}
""",
        f"""
Hello {name},

We have received your consultation "{topic}" as number {number}.
Please quote this number when you contact us.

As our service standard says, we answer within {days_en} after the question is clear and
complete. If your question is clear and complete, our answer is due by {due[1]}.
If the consultant asks you for more details, the {days_en} count from when your question
is clear and complete.

Follow your consultation here (sign in to your account first):

{link}
""",
    )


def user_closed(to: str, name: str, number: str, topic: str, link: str) -> Message:
    """Tell the assigned consultant the user found the answer helpful and closed the consultation."""
    return bilingual(
        to,
        f"Konsultasi {number} ditutup oleh pengguna",
        f"Consultation {number} was closed by the user",
        f"""
Halo {name},

Pengguna menandai jawaban dalam konsultasi "{topic}" ({number}) membantu dan menutupnya:

{link}
""",
        f"""
Hello {name},

The user marked the answer in consultation "{topic}" ({number}) as helpful and closed it:

{link}
""",
    )


def staff_wrote(to: str, name: str, number: str, topic: str, link: str, *, asks: bool) -> Message:
    """Tell the user the consultant wrote in their consultation (an answer, or a question back)."""
    what_id = "meminta penjelasan tambahan" if asks else "membalas konsultasi Anda"
    what_en = "asks you for more details" if asks else "has replied to your consultation"
    return bilingual(
        to,
        f"Balasan konsultasi {number}",
        f"A reply in consultation {number}",
        f"""
Halo {name},

Konsultan kami {what_id} "{topic}" ({number}).
Baca dan balas pesannya di sini (masuk ke akun Anda lebih dulu):

{link}
""",
        f"""
Hello {name},

Our consultant {what_en} "{topic}" ({number}).
Read the message and reply here (sign in to your account first):

{link}
""",
    )


def user_wrote(to: str, name: str, number: str, topic: str, link: str) -> Message:
    """Tell the assigned consultant the user wrote in a consultation."""
    return bilingual(
        to,
        f"Pesan baru dalam konsultasi {number}",
        f"A new message in consultation {number}",
        f"""
Halo {name},

Pengguna menulis pesan baru dalam konsultasi "{topic}" ({number}):

{link}
""",
        f"""
Hello {name},

The user wrote a new message in consultation "{topic}" ({number}):

{link}
""",
    )


def consultation_closed(to: str, name: str, number: str, topic: str, link: str, survey_link: str) -> Message:
    """Tell the user their consultation is closed and invite them to rate the service (SKM)."""
    survey_id = survey_en = ""
    if survey_link:
        survey_id = f"\nMohon nilai layanan konsultasi kami (9 pertanyaan, tanpa nama):\n{survey_link}\n"
        survey_en = f"\nPlease rate our consultation service (9 questions, anonymous):\n{survey_link}\n"
    return bilingual(
        to,
        f"Konsultasi {number} selesai",
        f"Consultation {number} is closed",
        f"""
Halo {name},

Konsultasi "{topic}" ({number}) sudah ditutup. Percakapannya tetap dapat Anda baca di:

{link}
{survey_id}
Bila masih ada pertanyaan, silakan buka konsultasi baru.
""",
        f"""
Hello {name},

Consultation "{topic}" ({number}) is closed. You can still read the conversation at:

{link}
{survey_en}
If you have more questions, please open a new consultation.
""",
    )


def silence_reminder(
    to: str, name: str, number: str, topic: str, link: str, closes: tuple[str, str], wait: tuple[str, str]
) -> Message:
    """Remind the user the consultant waits for their reply, and when the consultation closes without one."""
    return bilingual(
        to,
        f"Konsultasi {number} menunggu balasan Anda",
        f"Consultation {number} is waiting for your reply",
        f"""
Halo {name},

Konsultan kami menunggu balasan Anda dalam konsultasi "{topic}" ({number}).
Bila tidak ada balasan, konsultasi ini ditutup otomatis pada {closes[0]}
(aturan kantor kami: {wait[0]} tanpa tanggapan). Balas di sini:

{link}

Bila jawaban kami sudah cukup, Anda tidak perlu melakukan apa pun.
""",
        f"""
Hello {name},

Our consultant is waiting for your reply in consultation "{topic}" ({number}).
Without a reply, the consultation closes automatically on {closes[1]}
(our office's rule: {wait[1]} without a response). Reply here:

{link}

If our answer was enough, you need not do anything.
""",
    )


def closed_for_silence(
    to: str, name: str, number: str, topic: str, link: str, survey_link: str, reopen_until: tuple[str, str]
) -> Message:
    """Tell the user their consultation closed after their silence, how to reopen it, and invite the SKM."""
    survey_id = survey_en = ""
    if survey_link:
        survey_id = f"\nMohon nilai layanan konsultasi kami (9 pertanyaan, tanpa nama):\n{survey_link}\n"
        survey_en = f"\nPlease rate our consultation service (9 questions, anonymous):\n{survey_link}\n"
    reopen_id = reopen_en = ""
    if reopen_until[0]:
        reopen_id = (
            f"Masih ada pertanyaan? Buka kembali konsultasi di halaman itu sampai {reopen_until[0]}.\n"
        )
        reopen_en = f"Still have a question? Reopen the consultation on that page until {reopen_until[1]}.\n"
    return bilingual(
        to,
        f"Konsultasi {number} ditutup otomatis",
        f"Consultation {number} was closed automatically",
        f"""
Halo {name},

Konsultasi "{topic}" ({number}) ditutup otomatis karena belum ada balasan dari Anda.
Percakapannya tetap dapat Anda baca di:

{link}

{reopen_id}Setelah itu, silakan buka konsultasi baru.
{survey_id}""",
        f"""
Hello {name},

Consultation "{topic}" ({number}) was closed automatically as we had no reply from you.
You can still read the conversation at:

{link}

{reopen_en}After that, please open a new consultation.
{survey_en}""",
    )


def appointment_proposed(
    to: str,
    name: str,
    number: str,
    topic: str,
    link: str,
    *,
    video: bool,
    when: tuple[str, str],
    minutes: int,
    place: str,
) -> Message:
    """Tell the user the consultant proposes a follow-up appointment; they answer on the page."""
    where_id, where_en = ("Tautan rapat video", "Video meeting link") if video else ("Tempat", "Place")
    return bilingual(
        to,
        f"Usulan janji konsultasi {number}",
        f"A proposed appointment for consultation {number}",
        f"""
Halo {name},

Konsultan kami mengusulkan janji temu lanjutan untuk konsultasi "{topic}" ({number}):

Waktu: {when[0]} ({minutes} menit)
{where_id}: {place}

Terima janji ini atau minta waktu lain di halaman konsultasi (masuk ke akun Anda lebih dulu):

{link}

Berkas kalender (.ics) terlampir.
""",
        f"""
Hello {name},

Our consultant proposes a follow-up appointment for consultation "{topic}" ({number}):

When: {when[1]} ({minutes} minutes)
{where_en}: {place}

Accept it or ask for another time on the consultation's page (sign in to your account first):

{link}

A calendar file (.ics) is attached.
""",
    )


def appointment_answered(
    to: str, name: str, number: str, topic: str, link: str, *, accepted: bool
) -> Message:
    """Tell the consultant the user accepted the appointment or asked for another time."""
    what_id = "menerima janji temu" if accepted else "meminta waktu lain untuk janji temu"
    what_en = "accepted the appointment" if accepted else "asked for another time for the appointment"
    return bilingual(
        to,
        f"Janji konsultasi {number}: {'diterima' if accepted else 'minta waktu lain'}",
        f"Appointment for consultation {number}: {'accepted' if accepted else 'another time asked'}",
        f"""
Halo {name},

Pengguna {what_id} dalam konsultasi "{topic}" ({number}):

{link}
""",
        f"""
Hello {name},

The user {what_en} in consultation "{topic}" ({number}):

{link}
""",
    )
