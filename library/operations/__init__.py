"""Operations: how the office stands right now (`now`), the alerts raised from it (`alerts`), and
what an upgrade will run, told before it runs (`upgrade_plan`)."""
