"""Domain errors: each carries a message a person can act on."""

from __future__ import annotations

from collections.abc import Mapping

from watermark.errors import Reason, WatermarkError


class PustakaError(Exception):
    """Base of every error the web app and the CLI turn into a message, not a traceback."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class SettingsError(PustakaError):
    """A PUSTAKA_* setting has a value that cannot be used."""


class NotFound(PustakaError):
    """The thing asked for does not exist (or the actor may not know it exists)."""


class InvalidInput(PustakaError):
    """Input from a person or a file that cannot be accepted as it is."""


class StorageError(PustakaError):
    """The file store cannot read or write what was asked."""


class StoreUnwritable(StorageError):
    """The file store refused a write (read-only, full, its owner changed): the server's fault.

    Its message names the folder and the system's reason, for the log and the command line; a
    web visitor reads a message of their own language that names neither (webapp.errors).
    """


class InvalidField(InvalidInput):
    """Input refused because of one field of a form; `field` names it so the page can point at it."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class NotAllowed(PustakaError):
    """The acting person may not do this (the web answers 403)."""


class InvalidFields(InvalidField):
    """Several problems with a form at once, so a person sees them all in one round.

    It reads as its first problem (`field`, `message`), so code that knows only `InvalidField`
    still points at a field; `problems` holds every one, a form-wide error among them.
    """

    def __init__(self, problems: list[PustakaError]) -> None:
        first = problems[0]
        super().__init__(getattr(first, "field", ""), first.message, **first.params)
        self.problems = tuple(problems)


# Words a message may hold as a value, translated where it is shown (webapp.i18n.error_message):
# the watermark engine's error a refusal gives as its reason, the reason that error names.
Sentence = PustakaError | WatermarkError | Reason


def stored_params(params: Mapping[str, object]) -> dict[str, object]:
    """Return an error's values as a JSON column keeps them for staff to read later, translated.

    Sentences among them (`Sentence`) are kept as {"message": ..., "params": ...}, anything else as text.
    """
    return {
        name: {"message": value.message, "params": stored_params(value.params)}
        if isinstance(value, Sentence)
        else str(value)
        for name, value in params.items()
    }
