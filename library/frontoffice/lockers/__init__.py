"""Lockers and the ID cards held in them: the stock, the front office's desk, their administration.

A visitor leaves an ID card for a locker and gets it back on leaving (`stock`: `check_give_locker`,
`check_return_locker`, `check_depart`); the front desk sees today's visits and free lockers
(`staff`), an administrator keeps the office's lockers (`admin`).
"""
