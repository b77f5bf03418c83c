"""The words of an email: its plain text (or its HTML made text), without the quoted history and signature.

People answer on top of the whole thread, and mail programs add a signature and "Sent from my
phone"; the consultant needs only what is new. The text is cut at the first line that starts the
quoted history in the common mail programs, in English and Indonesian ("On ... wrote:", "Pada
... menulis:", Outlook's "From: / Sent:" block, "-----Original Message-----"), at the signature
delimiter ("-- "), and trailing "> " lines and "Sent from" lines are dropped. When the cuts
leave nothing (someone wrote below the quote), the whole text is kept.
"""

from __future__ import annotations

import re
from email.message import EmailMessage, Message
from html.parser import HTMLParser

from library.consultation.channels import MAX_TEXT  # the text kept of one message
from library.text import clean_text

_QUOTE_HEADER = re.compile(
    r"^[ \t]*(On|Pada|Le|Am)\b[^\n]{0,300}(\n[^\n]{0,300}){0,2}?(wrote|menulis|a écrit|schrieb)\s*:[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_ORIGINAL = re.compile(
    r"^[ \t]*-{2,}\s*(Original Message|Pesan Asli|Pesan Awal|Reply message|Balas pesan)\s*-{2,}",
    re.IGNORECASE | re.MULTILINE,
)
# Outlook's header block of the message answered: "From:" then, within three lines, "Sent:" or "Date:".
_OUTLOOK = re.compile(
    r"^[ \t]*\**(From|Dari)\**:[^\n]*\n([^\n]*\n){0,2}?[ \t]*\**(Sent|Date|Dikirim|Terkirim|Tanggal)\**:",
    re.IGNORECASE | re.MULTILINE,
)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_SENT_FROM = re.compile(
    r"^[ \t]*(Sent from|Dikirim dari|Get Outlook for|Dapatkan Outlook untuk)\b[^\n]*$", re.IGNORECASE
)
_BLOCKS = {
    "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "hr",
}  # fmt: skip
_HIDDEN = {"script", "style", "head", "title"}


def body_text(mail: EmailMessage) -> str:
    """Return what the email says that is new: its plain text preferred, else its HTML as text, trimmed."""
    part = mail.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    raw = part_text(part)
    text = html_to_text(raw) if part.get_content_subtype() == "html" else raw
    return trimmed(clean_text(text))[:MAX_TEXT].strip()


def part_text(part: Message) -> str:
    """Return a text part's content as a string, whatever its declared charset (unknown: UTF-8, replaced)."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except (LookupError, ValueError, AssertionError):
        pass  # an unknown or wrong charset: decoded below as UTF-8, leniently
    payload = part.get_payload(decode=True)
    return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""


def trimmed(text: str) -> str:
    """Return the text without the quoted history below it and the signature (all if nothing is left)."""
    cut = len(text)
    for pattern in (_QUOTE_HEADER, _ORIGINAL, _OUTLOOK, _SIGNATURE):
        found = pattern.search(text)
        if found:
            cut = min(cut, found.start())
    lines = text[:cut].rstrip().split("\n")
    while lines and (lines[-1].lstrip().startswith(">") or not lines[-1].strip()):
        lines.pop()
    while lines and (_SENT_FROM.match(lines[-1]) or not lines[-1].strip()):
        lines.pop()
    kept = "\n".join(lines).strip()
    return kept or text.strip()


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML body: blocks on their own lines, quoted replies left out."""
    reader = _TextOfHtml()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):
        pass  # broken markup: what was read so far
    lines = [" ".join(line.split()) for line in "".join(reader.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class _TextOfHtml(HTMLParser):
    """Collect the text of HTML, skipping scripts, styles and the quoted message (blockquote, gmail_quote)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []  # the open elements whose content is left out

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Start a line at a block; start skipping a hidden or quoted element."""
        classes = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
        quoted = tag == "blockquote" or "gmail_quote" in classes or "divRplyFwdMsg" in classes
        if self._skipping or tag in _HIDDEN or quoted:
            if tag not in ("br", "hr", "img", "meta", "link", "input"):
                self._skipping.append(tag)
            return
        if tag in _BLOCKS:
            self.parts.append("\n")  # a block starts on its own line

    def handle_endtag(self, tag: str) -> None:
        """End a paragraph with an empty line; stop skipping when the skipped element closes."""
        if self._skipping:
            if tag == self._skipping[-1]:
                self._skipping.pop()
            return
        if tag in ("p", "table", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.parts.append("\n\n")  # a paragraph is followed by an empty line

    def handle_data(self, data: str) -> None:
        """Keep visible text."""
        if not self._skipping:
            self.parts.append(data)
