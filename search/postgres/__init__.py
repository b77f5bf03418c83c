"""The PostgreSQL engine: the search tables in the database itself, written in the publications' own
transactions and read by every host."""
