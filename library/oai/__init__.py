"""OAI-PMH 2.0 for harvesters: the six verbs over the catalogue.

A request is parsed by the protocol's grammar (`parse_request`), answered by a verb as values
(`verbs`) and written as XML (`respond`). Records are oai_dc in the BPS profile; sets are the
controlled subjects' groups and the librarians' collections (`collection:<slug>`); resumption
tokens are signed and expire.
"""
