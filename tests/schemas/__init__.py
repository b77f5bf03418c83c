"""The OAI-PMH 2.0 and oai_dc XML schemas, vendored so tests validate responses without a network."""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
# Imports inside the vendored schemas that name their publishers' addresses, served from here.
LOCAL_COPIES = {
    "http://www.w3.org/2001/03/xml.xsd": HERE / "xml.xsd",
    "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd": HERE / "OAI-PMH.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": HERE / "oai_dc.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": HERE / "simpledc20021212.xsd",
}


class LocalCopies(etree.Resolver):
    """Resolve the schemas' imports to the files in this folder; refuse anything else."""

    def resolve(self, system_url, public_id, context):  # type: ignore[no-untyped-def]
        """Return the local copy of a schema the validator asks for."""
        local = LOCAL_COPIES.get(system_url)
        if local is not None:
            return self.resolve_filename(str(local), context)
        if system_url and Path(system_url).parent == HERE:
            return None  # a file of this folder: lxml reads it itself
        raise LookupError(f"schema import {system_url!r} has no local copy")


@functools.cache
def oai_pmh_schema() -> etree.XMLSchema:
    """Load OAI-PMH.xsd with oai_dc.xsd (and simpledc, xml.xsd) from this folder only."""
    parser = etree.XMLParser(no_network=True, load_dtd=False, resolve_entities=False)
    parser.resolvers.add(LocalCopies())
    document = etree.parse(str(HERE / "oai-pmh-oai_dc.xsd"), parser)
    return etree.XMLSchema(document)


def validation_errors(body: bytes) -> list[str]:
    """Return the schema errors of an OAI-PMH response (empty when it is valid)."""
    schema = oai_pmh_schema()
    document = etree.fromstring(body, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]  # type: ignore[attr-defined]


def assert_valid(body: bytes) -> None:
    """Fail unless the body is a schema-valid OAI-PMH 2.0 response."""
    errors = validation_errors(body)
    assert errors == [], "\n".join(errors)
