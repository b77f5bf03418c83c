"""The waiting-room board's voice: a call as clip names (`phrases`), the clips on disk (`clips`)."""
