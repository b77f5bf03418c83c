"""The walk-in front office: guest book visits, queue tickets, lockers, service clocks.

A visitor signs the guest book at the kiosk (or books a slot online) and gets a ticket per
service; counters call and serve them against the office's walk-in clocks, the waiting-room board
shows and speaks the calls, and the visit may hold a locker, a terminal session or pages scanned
for them, until the close of day closes what is left open. Start at `guest_book`
(`check_sign_guest_book`), the counters' `queue.actions` and the visitor's own `visit_status`.

The name and email are kept as declared: a visit is joined to an account only with proof
(`identity`: a password, an emailed code or the ID card seen at the desk). Pure rules, no unit of
work: `queue.clocks`, `queue.priority` and `voice.phrases`. What a visitor is told on their phone,
and when, is `news`; the words go out through `library.messaging`.
"""
