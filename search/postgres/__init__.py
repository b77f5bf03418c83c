"""The PostgreSQL engine: the search tables in the database itself, written in the publications' own
transactions and read by every host.

Start at `engine` (`PostgresSearchEngine`) and `tables` (`store`); a whole rebuild loads fresh
tables by COPY and swaps them in (`rebuild`).
"""
