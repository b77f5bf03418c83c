"""The catalogue: publications as readers find, browse and read them, and the offices behind them.

- `read_models`: browse and open publications (`list_publications`, `get_publication`).
- `holdings`: printed copies, where they stand and how they are read (`list_holdings`,
  `check_add_holding`, `check_edit_holding`, `check_remove_holding`).
- `offices`: offices and their service standards (`sync_offices`, `get_office_profile`).
- `search`: the search use case over the configured engine (`search_publications`).
- `indexing`: feeding the search engine (`do_index_publications`, `do_reindex`, `check_index`,
  `analysis_signature`: what an index made under this release's rules starts each fingerprint with;
  `index_in_transactions`: PostgreSQL's index written in the publications' own transactions).
- `reading`: reading online, pages stamped for the reader (`check_read`, `render_page`);
  `read_access`: who may read online or at a terminal, and why not (`read_refusal`).
- `page_pictures`, `page_cache`: the reader's pages made cheap: renders kept on disk, marks drawn once.
- `search_terms`: what people search for, counted per day without who, once per client
  (`do_count_search`); terms the office hides from its report (`check_hide_search_term`).
- `marc`: MARC21 in and out in the BPS profile (`to_marc` for OAI-PMH's marc21; the export, the
  import and its dry run; see its package).
- `demo`: the demo catalogue, taken in through the intake area (`load_demo`).
"""
