"""Operations: how the office stands right now (`now`), and the alerts raised from it (`alerts`)."""
