"""OAI-PMH 2.0 for library aggregators: the six verbs over the catalogue, as values.

A record is a publication; its datestamp is the publication's `updated_at`, in UTC to the
second. Lists page by a cursor on (updated_at, id), never by OFFSET: a harvest neither skips
nor repeats records when others change meanwhile (a changed record moves to the end, where
the harvest meets it again, as the protocol wants). The cursor travels in a signed, expiring
resumption token (`oai_tokens`); requests are checked, and protocol errors raised, by
`oai_requests`; `oai_xml` writes the answers. Who the repository is (its name, the
identifiers it gives and reads back, its addresses) is `library.oai.repository`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from library.browse.membership import slugs_of
from library.catalogue.marc import MarcRecord
from library.catalogue.marc.profile import MARC_NS, MARC_SCHEMA
from library.catalogue.marc.writing import Extras, to_marc
from library.models import Office, Publication
from library.oai.collection_sets import PARENT, collection_sets, in_collection_set
from library.oai.dublin_core import DCElement, dublin_core, set_specs, subject_slug
from library.oai.repository import Repository, admin_email
from library.oai.requests import (
    GRANULARITY,
    BadResumptionToken,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoRecordsMatch,
    OAIRequest,
    datestamp,
    parse_range,
)
from library.oai.subject_sets import Controlled, controlled_subjects, group_sets, in_group
from library.oai.tokens import RESUMPTION, Selection, make_resumption_token, read_resumption_token
from library.uow import UnitOfWork


@dataclass(frozen=True)
class MetadataFormat:
    """A metadata format the repository disseminates."""

    prefix: str
    schema: str
    namespace: str


OAI_DC = MetadataFormat(
    "oai_dc",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc/",
)
MARC21 = MetadataFormat("marc21", MARC_SCHEMA, MARC_NS)  # MARCXML, the BPS profile (library.catalogue.marc)
METADATA_FORMATS = (OAI_DC, MARC21)


@dataclass(frozen=True)
class Identity:
    """What Identify says about the repository."""

    repository_name: str
    base_url: str
    admin_emails: tuple[str, ...]
    earliest_datestamp: str
    repository_identifier: str  # the oai-identifier description's name and sample
    sample_identifier: str
    # A withdrawn publication stays in the database as long as the repository exists, and is
    # given to harvesters as a deleted record until a librarian restores it: "persistent".
    deleted_record: str = "persistent"
    granularity: str = GRANULARITY


@dataclass(frozen=True)
class OAISet:
    """A set harvesters can ask for."""

    spec: str
    name: str


@dataclass(frozen=True)
class Header:
    """A record's identifier, datestamp and sets; a deleted record (withdrawn) has no metadata."""

    identifier: str
    datestamp: str
    set_specs: tuple[str, ...]
    deleted: bool = False


@dataclass(frozen=True)
class Record:
    """A header with its oai_dc metadata or its MARC record (neither in ListIdentifiers)."""

    header: Header
    metadata: tuple[DCElement, ...] = ()
    marc: MarcRecord | None = None


@dataclass(frozen=True)
class Resumption:
    """Where an incomplete list resumes; an empty token ends the list."""

    token: str
    cursor: int
    complete_list_size: int
    expiration: dt.datetime | None


@dataclass(frozen=True)
class RecordList:
    """One page of a ListRecords or ListIdentifiers answer."""

    records: tuple[Record, ...]
    resumption: Resumption | None


def identify(uow: UnitOfWork, repository: Repository, now: dt.datetime) -> Identity:
    """Describe the repository: its name, address, administrator and earliest datestamp."""
    office = uow.session.scalar(select(Office).where(Office.code == repository.office_code))
    earliest = uow.session.scalar(
        select(func.min(Publication.updated_at)).where(Publication.published_at.is_not(None))
    )
    name = f"Perpustakaan Digital {office.name}" if office else "Pustaka"
    return Identity(
        repository_name=name,
        base_url=repository.endpoint,
        admin_emails=(admin_email(repository.admin_email, office.email if office else ""),),
        earliest_datestamp=datestamp(earliest or now),
        repository_identifier=repository.name,
        sample_identifier=f"oai:{repository.name}:{repository.prefix}/1",
    )


def list_metadata_formats(
    uow: UnitOfWork, repository: Repository, identifier: str | None = None
) -> tuple[MetadataFormat, ...]:
    """Return the formats of the repository, or of one record (which must exist)."""
    if identifier is not None:
        _publication(uow, repository, identifier)
    return METADATA_FORMATS


def list_sets(uow: UnitOfWork, resumption_token: str | None = None) -> tuple[OAISet, ...]:
    """Return the sets: each office, subject and collection with publications, under their parents."""
    if resumption_token is not None:
        raise BadResumptionToken("ListSets answers in one page; this token is not valid.")
    offices = uow.session.execute(
        select(Office.code, Office.name).join(Publication).distinct().order_by(Office.code)
    ).all()
    subjects = uow.session.scalars(
        select(Publication.subject)
        .where(Publication.subject != "", Publication.published_at.is_not(None))
        .distinct()
    ).all()
    groups = group_sets(uow)  # a group's code wins over a subject text of the same slug
    by_slug: dict[str, str] = {}
    for subject in sorted(subjects):
        slug = subject_slug(subject)
        if slug and f"subject:{slug}" not in dict(groups):
            by_slug.setdefault(slug, subject)
    return (
        OAISet("office", "Kantor BPS penerbit"),
        *(OAISet(f"office:{code}", name) for code, name in offices),
        OAISet("subject", "Subjek"),
        *(OAISet(spec, name) for spec, name in groups),
        *(OAISet(f"subject:{slug}", name) for slug, name in sorted(by_slug.items())),
        OAISet(*PARENT),
        *(OAISet(spec, name) for spec, name in collection_sets(uow)),
    )


def get_record(uow: UnitOfWork, repository: Repository, identifier: str, metadata_prefix: str) -> Record:
    """Return one record with its oai_dc metadata."""
    _check_format(metadata_prefix)
    publication = _publication(uow, repository, identifier)
    in_sets = slugs_of(uow, [publication.id])
    return _record(publication, repository, controlled_subjects(uow), metadata_prefix, in_sets)


def list_records(
    uow: UnitOfWork,
    repository: Repository,
    request: OAIRequest,
    now: dt.datetime,
    *,
    with_metadata: bool = True,
) -> RecordList:
    """Return one page of ListRecords (or, without metadata, ListIdentifiers)."""
    token = request.arguments.get("resumptionToken")
    if token is None:
        selection = Selection(
            metadata_prefix=request.arguments["metadataPrefix"],
            set_spec=request.arguments.get("set"),
            from_=request.arguments.get("from"),
            until=request.arguments.get("until"),
        )
        _check_format(selection.metadata_prefix)
        after, delivered = None, 0
    else:
        selection, after, delivered = read_resumption_token(repository.secret, request.verb, token, now)
    query = _matching(uow, selection)
    total = uow.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if after is not None:
        query = query.where(
            or_(
                Publication.updated_at > after[0],
                and_(Publication.updated_at == after[0], Publication.id > after[1]),
            )
        )
    size = repository.page_size
    rows = uow.session.scalars(query.order_by(Publication.updated_at, Publication.id).limit(size + 1)).all()
    if not rows:
        raise NoRecordsMatch("No record matches this request.")
    page = rows[:size]
    resumption = None
    if len(rows) > size:
        last = page[-1]
        resumption = Resumption(
            token=make_resumption_token(
                repository.secret,
                request.verb,
                selection,
                (last.updated_at, last.id),
                delivered + len(page),
                now,
            ),
            cursor=delivered,
            complete_list_size=max(total, delivered + len(rows)),
            expiration=now.astimezone(dt.UTC).replace(microsecond=0) + RESUMPTION.max_age,
        )
    elif token is not None:
        resumption = Resumption("", delivered, max(total, delivered + len(page)), None)
    prefix = selection.metadata_prefix if with_metadata else None
    controlled, in_sets = controlled_subjects(uow), slugs_of(uow, [p.id for p in page])
    records = tuple(_record(p, repository, controlled, prefix, in_sets) for p in page)
    return RecordList(records, resumption)


def _check_format(metadata_prefix: str) -> None:
    """Refuse a metadata format this repository does not give."""
    if metadata_prefix not in {f.prefix for f in METADATA_FORMATS}:
        raise CannotDisseminateFormat(
            "This repository gives oai_dc and marc21, not '%(prefix)s'.", prefix=metadata_prefix
        )


def _publication(uow: UnitOfWork, repository: Repository, identifier: str) -> Publication:
    """Return the publication an identifier names."""
    condition = repository.lookup(identifier)
    publication = uow.session.scalar(select(Publication).where(condition)) if condition is not None else None
    if publication is None or publication.draft:  # a draft was never public: no record at all
        raise IdDoesNotExist("No record has the identifier '%(id)s'.", id=identifier)
    return publication


def _matching(uow: UnitOfWork, selection: Selection) -> Select[Publication]:
    """Select the publications a list asks for, before any cursor."""
    dates = parse_range(selection.from_, selection.until)
    query = select(Publication).join(Publication.issuing_office).where(Publication.published_at.is_not(None))
    if dates.start is not None:
        query = query.where(Publication.updated_at >= dates.start)
    if dates.end is not None:
        query = query.where(Publication.updated_at < dates.end)
    condition = _in_set(uow, selection.set_spec)
    return query if condition is None else query.where(condition)


def _in_set(uow: UnitOfWork, spec: str | None) -> ColumnElement[bool] | None:
    """Return the condition for membership of a set (None: every publication)."""
    if spec is None or spec == "office":
        return None
    kind, _, value = spec.partition(":")
    if kind == "office" and value.isdigit():
        return Office.code == value
    if spec == "subject":
        return Publication.subject != ""
    if kind == "collection" and (collection := in_collection_set(uow, value or None)) is not None:
        return collection
    if kind == "subject" and (group := in_group(uow, value)) is not None:
        return group
    if kind == "subject" and ":" not in value:
        names = [
            s
            for s in uow.session.scalars(
                select(Publication.subject).where(Publication.published_at.is_not(None)).distinct()
            )
            if s and subject_slug(s) == value
        ]
        if names:
            return Publication.subject.in_(names)
    raise NoRecordsMatch("There is no set '%(spec)s'; ListSets names them.", spec=spec)


def _record(
    publication: Publication,
    repository: Repository,
    controlled: Mapping[int, Controlled],
    metadata_prefix: str | None,
    in_sets: Mapping[int, tuple[str, ...]],
) -> Record:
    """Build a record (header, and metadata in the format asked, if any and not withdrawn)."""
    subject = controlled.get(publication.subject_id) if publication.subject_id is not None else None
    collections = tuple(f"collection:{slug}" for slug in in_sets.get(publication.id, ()))
    header = Header(
        identifier=repository.identifier(publication),
        datestamp=datestamp(publication.updated_at),
        set_specs=set_specs(publication, subject.group if subject else "") + collections,
        deleted=publication.withdrawn,
    )
    if metadata_prefix is None or header.deleted:
        return Record(header)
    page = repository.catalogue_url(publication)
    if metadata_prefix == MARC21.prefix:
        return Record(header, marc=to_marc(publication, Extras(page_url=page, identifier_url=page)))
    return Record(header, dublin_core(publication, page, subject.name_en if subject else ""))
