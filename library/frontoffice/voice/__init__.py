"""The waiting-room board's voice: a call as clip names (`phrases`), the clips on disk (`clips`).

`phrases` is pure: a call in Indonesian and English as the names of its clips (`spoken_call`).
`clips` makes the clips once per host with espeak-ng (`build_clips`), or takes the office's own
recordings in their place.
"""
