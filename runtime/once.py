"""A runtime's part built once, however many request threads ask for it at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class built_once(Generic[T]):  # lower case: a decorator, as functools.cached_property is
    """Like `functools.cached_property`, but built under its owner's re-entrant lock (`_lock`).

    `cached_property` locked until Python 3.11; from 3.12 it does not, so threads asking at once
    each build the part and all but one are dropped: a second tally's writer thread (its counts
    lost), a second pool of page renderers, a second rate limit. Once built, the value sits in the
    instance's `__dict__` under the same name and is read from there, without the lock. The lock
    is re-entrant because building one part may ask for another (the page pictures need the store).
    """

    def __init__(self, build: Callable[[Any], T]) -> None:
        self._build = build
        self._name = build.__name__
        self.__doc__ = build.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> built_once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> T | built_once[T]:
        if instance is None:
            return self
        held = instance.__dict__
        lock: threading.RLock = instance._lock  # type: ignore[attr-defined]
        with lock:
            if self._name not in held:
                held[self._name] = self._build(instance)
            return held[self._name]
