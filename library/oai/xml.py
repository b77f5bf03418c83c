"""OAI-PMH responses as XML: the envelope, one element per verb, protocol errors, oai_dc records."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence

from library.catalogue.marc import MarcRecord
from library.oai import requests as oai_requests
from library.oai import verbs as oai
from library.oai.repository import Repository
from library.oai.requests import OAIRequest
from library.uow import UnitOfWork

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = oai.OAI_DC.namespace
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OAI_SCHEMA_LOCATION = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA_LOCATION = f"{OAI_DC_NS} {oai.OAI_DC.schema}"
MARC_NS = oai.MARC21.namespace
MARC_SCHEMA_LOCATION = f"{MARC_NS} {oai.MARC21.schema}"
# Identify's description of the identifiers (the OAI identifier format's guidelines).
OAI_ID_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_ID_SCHEMA_LOCATION = f"{OAI_ID_NS} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"

# ElementTree names prefixes from a process-wide table; harvesters expect the OAI namespace
# as the default one and the customary oai_dc/dc/xsi prefixes.
for _prefix, _uri in (
    ("", OAI_NS),
    ("oai_dc", OAI_DC_NS),
    ("dc", DC_NS),
    ("xsi", XSI_NS),
    ("marc", MARC_NS),
    ("oai-identifier", OAI_ID_NS),
):
    ET.register_namespace(_prefix, _uri)

# Characters XML 1.0 cannot carry (text from scanned PDFs sometimes holds them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def respond(
    uow: UnitOfWork,
    repository: Repository,
    values: Mapping[str, Sequence[str]],
    now: dt.datetime,
) -> bytes:
    """Answer one OAI-PMH request with its XML document; protocol errors are answers too."""
    root = ET.Element(_oai("OAI-PMH"), {f"{{{XSI_NS}}}schemaLocation": OAI_SCHEMA_LOCATION})
    _text(root, _oai("responseDate"), oai_requests.datestamp(now))
    echo = _text(root, _oai("request"), repository.endpoint)
    request: OAIRequest | None = None
    try:
        request = oai_requests.parse_request(values)
        body = VERBS[request.verb](uow, repository, request, now)
    except oai_requests.OAIError as error:
        if request is not None and error.echoes_arguments:
            _echo(echo, request)
        _text(root, _oai("error"), str(error)).set("code", error.code)
    else:
        _echo(echo, request)
        root.append(body)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode()


def _identify(uow: UnitOfWork, repository: Repository, request: OAIRequest, now: dt.datetime) -> ET.Element:
    """Render Identify."""
    identity = oai.identify(uow, repository, now)
    element = ET.Element(_oai("Identify"))
    _text(element, _oai("repositoryName"), identity.repository_name)
    _text(element, _oai("baseURL"), identity.base_url)
    _text(element, _oai("protocolVersion"), "2.0")
    for address in identity.admin_emails:
        _text(element, _oai("adminEmail"), address)
    _text(element, _oai("earliestDatestamp"), identity.earliest_datestamp)
    _text(element, _oai("deletedRecord"), identity.deleted_record)
    _text(element, _oai("granularity"), identity.granularity)
    described = ET.SubElement(ET.SubElement(element, _oai("description")), f"{{{OAI_ID_NS}}}oai-identifier")
    described.set(f"{{{XSI_NS}}}schemaLocation", OAI_ID_SCHEMA_LOCATION)
    for name, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", identity.repository_identifier),
        ("delimiter", ":"),
        ("sampleIdentifier", identity.sample_identifier),
    ):
        _text(described, f"{{{OAI_ID_NS}}}{name}", value)
    return element


def _list_metadata_formats(
    uow: UnitOfWork, repository: Repository, request: OAIRequest, now: dt.datetime
) -> ET.Element:
    """Render ListMetadataFormats."""
    formats = oai.list_metadata_formats(uow, repository, request.arguments.get("identifier"))
    element = ET.Element(_oai("ListMetadataFormats"))
    for metadata_format in formats:
        item = ET.SubElement(element, _oai("metadataFormat"))
        _text(item, _oai("metadataPrefix"), metadata_format.prefix)
        _text(item, _oai("schema"), metadata_format.schema)
        _text(item, _oai("metadataNamespace"), metadata_format.namespace)
    return element


def _list_sets(uow: UnitOfWork, repository: Repository, request: OAIRequest, now: dt.datetime) -> ET.Element:
    """Render ListSets."""
    element = ET.Element(_oai("ListSets"))
    for oai_set in oai.list_sets(uow, request.arguments.get("resumptionToken")):
        item = ET.SubElement(element, _oai("set"))
        _text(item, _oai("setSpec"), oai_set.spec)
        _text(item, _oai("setName"), oai_set.name)
    return element


def _get_record(uow: UnitOfWork, repository: Repository, request: OAIRequest, now: dt.datetime) -> ET.Element:
    """Render GetRecord."""
    record = oai.get_record(
        uow, repository, request.arguments["identifier"], request.arguments["metadataPrefix"]
    )
    element = ET.Element(_oai("GetRecord"))
    _record(element, record)
    return element


def _list_identifiers(
    uow: UnitOfWork, repository: Repository, request: OAIRequest, now: dt.datetime
) -> ET.Element:
    """Render a page of ListIdentifiers."""
    page = oai.list_records(uow, repository, request, now, with_metadata=False)
    element = ET.Element(_oai("ListIdentifiers"))
    for record in page.records:
        _header(element, record.header)
    _resumption(element, page.resumption)
    return element


def _list_records(
    uow: UnitOfWork, repository: Repository, request: OAIRequest, now: dt.datetime
) -> ET.Element:
    """Render a page of ListRecords."""
    page = oai.list_records(uow, repository, request, now)
    element = ET.Element(_oai("ListRecords"))
    for record in page.records:
        _record(element, record)
    _resumption(element, page.resumption)
    return element


VERBS: dict[str, Callable[[UnitOfWork, Repository, OAIRequest, dt.datetime], ET.Element]] = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list_identifiers,
    "ListRecords": _list_records,
}


def _record(parent: ET.Element, record: oai.Record) -> None:
    """Append a record: its header and its oai_dc or marc21 metadata (a deleted record has none)."""
    element = ET.SubElement(parent, _oai("record"))
    _header(element, record.header)
    if record.header.deleted:
        return
    metadata = ET.SubElement(element, _oai("metadata"))
    if record.marc is not None:
        _marc(metadata, record.marc)
        return
    dc = ET.SubElement(
        metadata, f"{{{OAI_DC_NS}}}dc", {f"{{{XSI_NS}}}schemaLocation": OAI_DC_SCHEMA_LOCATION}
    )
    for item in record.metadata:
        node = _text(dc, f"{{{DC_NS}}}{item.name}", item.value)
        if item.lang:
            node.set(XML_LANG, item.lang)


def _marc(parent: ET.Element, marc: MarcRecord) -> None:
    """Append a MARCXML record: its leader, control fields, then data fields with their subfields."""
    record = ET.SubElement(parent, _in_marc("record"), {f"{{{XSI_NS}}}schemaLocation": MARC_SCHEMA_LOCATION})
    _text(record, _in_marc("leader"), str(marc.leader))
    for field in marc.fields:
        if field.is_control_field():
            _text(record, _in_marc("controlfield"), field.data or "").set("tag", field.tag)
            continue
        data = ET.SubElement(
            record,
            _in_marc("datafield"),
            {"tag": field.tag, "ind1": field.indicator1, "ind2": field.indicator2},
        )
        for subfield in field.subfields:
            _text(data, _in_marc("subfield"), subfield.value).set("code", subfield.code)


def _in_marc(name: str) -> str:
    """Return the qualified name of a MARCXML element."""
    return f"{{{MARC_NS}}}{name}"


def _header(parent: ET.Element, header: oai.Header) -> None:
    """Append a record header."""
    element = ET.SubElement(parent, _oai("header"), {"status": "deleted"} if header.deleted else {})
    _text(element, _oai("identifier"), header.identifier)
    _text(element, _oai("datestamp"), header.datestamp)
    for spec in header.set_specs:
        _text(element, _oai("setSpec"), spec)


def _resumption(parent: ET.Element, resumption: oai.Resumption | None) -> None:
    """Append the resumption token of an incomplete list (empty on its last page)."""
    if resumption is None:
        return
    element = _text(parent, _oai("resumptionToken"), resumption.token)
    element.set("cursor", str(resumption.cursor))
    element.set("completeListSize", str(resumption.complete_list_size))
    if resumption.expiration is not None:
        element.set("expirationDate", oai_requests.datestamp(resumption.expiration))


def _echo(element: ET.Element, request: OAIRequest) -> None:
    """Put the verb and arguments of a well-formed request on the request element."""
    element.set("verb", request.verb)
    for name, value in sorted(request.arguments.items()):
        element.set(name, _NOT_XML.sub("", value))


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """Append an element holding text, without characters XML cannot carry."""
    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", text)
    return element


def _oai(name: str) -> str:
    """Return the qualified name of an OAI-PMH element."""
    return f"{{{OAI_NS}}}{name}"
