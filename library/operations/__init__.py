"""Operations: how the office stands right now (`now`), and the alerts raised from it (`alerts`)."""

from library.operations.alerts import BACKUP_FAILED, Condition, raise_alerts

__all__ = ["BACKUP_FAILED", "Condition", "raise_alerts"]
