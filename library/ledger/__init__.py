"""The delivery ledger: every stamped copy, who received it, and how a leaked copy is traced.

Every copy stamped for a person (a softcopy, a visitor's scan) is recorded, made by a job under a
claim on its row (`copy_jobs`); every opening of the reader is a reading session whose id its
page pictures carry. Start at `deliveries` (`deliver_copy`, `DeliveryOrder`: who, how, which pages,
what the mark says) and `tracing` (`trace_file`: every mark in a file, named to its deliveries);
`verification` answers whether a QR code is an authentic delivery.

Stored copies no link can download any more are let go; the ledger keeps its row for good.
"""
