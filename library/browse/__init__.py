"""Collections and feeds: how readers browse a series or an office's publications and follow what is new.

- `membership`: what a collection holds (`in_collection`), what holds a publication
  (`collections_of`, `slugs_of` for OAI-PMH set headers).
- `managing`: the librarian's use cases: collections made, edited, deleted, publications added
  and removed (`check_create_collection`, `check_add_publications`, ...), `desk_collections`.
- `series_titles`, `series`: series read from titles (`series_name`), suggested to the librarian
  with their editions (`suggested_series`, `suggested_editions`, `check_make_series`), made for the
  demo catalogue (`do_make_demo_series`).
- `desk`: the librarian's screens (`desk_overview`, `desk_collection`, a publication's
  edit page: `publication_collections`).
- `browsing`: the public pages (`public_collections`, `collection_page`).
- `feeds`, `atom`: the newest released publications of the library or a collection
  (`newest_publications` for the home page, `library_feed`, `collection_feed`) as Atom (`to_atom`).
"""
