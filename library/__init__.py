"""The domain of Pustaka and its use cases: models, unit of work, services, policies.

This package never imports Flask or the web app; engines (ingest, watermark,
search) never import it. See ARCHITECTURE.md.
"""
