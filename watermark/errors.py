"""The one exception the watermark engine raises."""


class WatermarkError(Exception):
    """A file could not be stamped or read; the message says what to do about it.

    `code` is a stable short word ("encrypted", "damaged", "not_pdf", ...) the web
    app and the CLI can map to their own wording.
    """

    def __init__(self, message: str, *, code: str = "error") -> None:
        super().__init__(message)
        self.code = code
