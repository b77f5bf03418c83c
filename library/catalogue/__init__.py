"""The catalogue: publications as readers find, browse and read them, and the offices behind them.

Publications and their printed holdings, the librarian's edits after ingest (metadata, access,
embargo, withdrawal), offices and their service standards, search over the configured engine and
the index fed from the database, reading online with pages stamped for the reader, and MARC21 in
and out (`marc`). Start at `read_models` (`list_publications`, `get_publication`), `search`
(`search_publications`) and `reading` (`check_read`); who may read, and why not, is `read_access`.

Search terms are counted per day without who searched. The demo catalogue is taken in through the
intake area, as a librarian's uploads are (`load_demo`).
"""
