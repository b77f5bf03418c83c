"""catalog_data."""
