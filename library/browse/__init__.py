"""Collections and feeds: how readers browse a series or an office's publications and follow what is new.

Librarians make collections (a series, an office's publications, any other), a series suggested
with its editions from the catalogue's titles; readers browse them, follow the newest releases as
Atom feeds, and harvesters see them as OAI-PMH sets. Start at `managing` (the librarian's use cases,
`check_create_collection`), `browsing` (the public pages) and `feeds` (`library_feed`);
`membership` answers what a collection holds and what holds a publication.
"""
