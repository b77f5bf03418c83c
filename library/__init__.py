"""The domain of Pustaka and its use cases: models, unit of work, services, policies.

Each area is a package of its own (catalogue, intake, softcopy, ledger, frontoffice, ...); at the
top sit only what every area shares: the unit of work (`uow`), who may do what (`permissions`),
the errors a person can act on (`errors`), the office's clock and working days.

This package never imports Flask or the web app; engines (ingest, watermark,
search) never import it. See ARCHITECTURE.md.
"""
