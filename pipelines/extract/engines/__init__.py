"""Raw landing on engines other than DuckDB (landing.py stays DuckDB's)."""
