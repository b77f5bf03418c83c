"""OAI-PMH requests: the protocol's grammar, its errors and its datestamps.

A request is checked here before anything is looked up: the verb and its arguments, the syntax
of their values (an answer echoes them, and must stay valid against the OAI-PMH schema), and the
`from`/`until` datestamps, which this repository takes to the day or to the second (UTC).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from library.errors import PustakaError

GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class OAIError(PustakaError):
    """A protocol error: the response is an <error> element, with HTTP status 200."""

    code: ClassVar[str] = ""
    # After badVerb and badArgument the request element carries no arguments (4.0 of the spec):
    # they may not even be valid attribute values.
    echoes_arguments: ClassVar[bool] = True


class BadVerb(OAIError):
    """The verb is missing, repeated or not one of the six."""

    code = "badVerb"
    echoes_arguments = False


class BadArgument(OAIError):
    """An argument is unknown, missing, repeated or malformed."""

    code = "badArgument"
    echoes_arguments = False


class BadResumptionToken(OAIError):
    """The resumption token was altered, belongs to another verb or has expired."""

    code = "badResumptionToken"


class CannotDisseminateFormat(OAIError):
    """The metadata format asked for is not one this repository gives."""

    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    """No record has this identifier."""

    code = "idDoesNotExist"


class NoRecordsMatch(OAIError):
    """The list asked for is empty."""

    code = "noRecordsMatch"


@dataclass(frozen=True)
class Grammar:
    """The arguments a verb takes."""

    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None

    @property
    def allowed(self) -> frozenset[str]:
        """Return every argument name the verb accepts."""
        return self.required | self.optional | ({self.exclusive} if self.exclusive else set())


_LIST = Grammar(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS = {
    "Identify": Grammar(),
    "ListMetadataFormats": Grammar(optional=frozenset({"identifier"})),
    "ListSets": Grammar(exclusive="resumptionToken"),
    "GetRecord": Grammar(required=frozenset({"identifier", "metadataPrefix"})),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
}

# The value syntaxes of the OAI-PMH schema: an answer echoing a value must stay valid.
_PREFIX_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+")
_SET_SYNTAX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*")
_URI_SYNTAX = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[!-~]+")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_DAY_SYNTAX = re.compile(r"\d{4}-\d{2}-\d{2}")
_SECOND_SYNTAX = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


@dataclass(frozen=True)
class OAIRequest:
    """A request whose verb and arguments follow the protocol's grammar."""

    verb: str
    arguments: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DateRange:
    """Bounds on updated_at: `start` inclusive, `end` exclusive, either open."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None


def parse_request(values: Mapping[str, Sequence[str]]) -> OAIRequest:
    """Check the verb and its arguments against the protocol; raise BadVerb or BadArgument."""
    verbs = list(values.get("verb", ()))
    if not verbs:
        raise BadVerb("The request has no verb.")
    if len(verbs) > 1:
        raise BadVerb("The verb is repeated.")
    verb = verbs[0]
    if verb not in VERBS:
        raise BadVerb("'%(verb)s' is not an OAI-PMH verb.", verb=verb)
    grammar = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, given in values.items():
        if name == "verb":
            continue
        if name not in grammar.allowed:
            raise BadArgument("%(verb)s takes no argument '%(name)s'.", verb=verb, name=name)
        if len(given) != 1:
            raise BadArgument("The argument '%(name)s' is repeated.", name=name)
        if not given[0] or _XML_UNSAFE.search(given[0]):
            raise BadArgument("The argument '%(name)s' is empty or unreadable.", name=name)
        arguments[name] = given[0]
    if grammar.exclusive and grammar.exclusive in arguments:
        if len(arguments) > 1:
            raise BadArgument("resumptionToken cannot be combined with other arguments.")
    else:
        missing = sorted(grammar.required - arguments.keys())
        if missing:
            raise BadArgument("%(verb)s needs the argument %(names)s.", verb=verb, names=", ".join(missing))
    _check_syntax(arguments)
    return OAIRequest(verb, arguments)


def _check_syntax(arguments: Mapping[str, str]) -> None:
    """Refuse argument values the protocol's syntax does not allow."""
    if "metadataPrefix" in arguments and not _PREFIX_SYNTAX.fullmatch(arguments["metadataPrefix"]):
        raise BadArgument("metadataPrefix is not a valid metadata prefix.")
    if "set" in arguments and not _SET_SYNTAX.fullmatch(arguments["set"]):
        raise BadArgument("set is not a valid setSpec.")
    if "identifier" in arguments and not _URI_SYNTAX.fullmatch(arguments["identifier"]):
        raise BadArgument("identifier is not a URI.")
    parse_range(arguments.get("from"), arguments.get("until"))


def parse_range(from_: str | None, until: str | None) -> DateRange:
    """Turn `from` and `until` into bounds on updated_at; refuse bad dates and mixed granularity."""
    start = _datestamp("from", from_) if from_ else None
    end = _datestamp("until", until) if until else None
    if start and end:
        if start[1] != end[1]:
            raise BadArgument("from and until must have the same granularity.")
        if start[0] > end[0]:
            raise BadArgument(
                "from (%(from)s) is later than until (%(until)s).", **{"from": from_, "until": until}
            )
    return DateRange(start=start[0] if start else None, end=_after_until(end) if end else None)


def _after_until(until: tuple[dt.datetime, dt.timedelta]) -> dt.datetime | None:
    """Return the first moment past `until` (inclusive to its granularity); None past year 9999."""
    try:
        return until[0] + until[1]
    except OverflowError:
        return None


def _datestamp(name: str, text: str) -> tuple[dt.datetime, dt.timedelta]:
    """Parse a day or a UTC second; return the moment and the granularity's length."""
    try:
        if _DAY_SYNTAX.fullmatch(text):
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC), dt.timedelta(days=1)
        if _SECOND_SYNTAX.fullmatch(text):
            moment = dt.datetime.strptime(text, DATESTAMP_FORMAT).replace(tzinfo=dt.UTC)
            return moment, dt.timedelta(seconds=1)
    except ValueError:
        pass
    raise BadArgument(
        "%(name)s must be YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not '%(text)s'.", name=name, text=text
    )


def datestamp(moment: dt.datetime) -> str:
    """Format a moment as an OAI datestamp, in UTC to the second."""
    return moment.astimezone(dt.UTC).strftime(DATESTAMP_FORMAT)
