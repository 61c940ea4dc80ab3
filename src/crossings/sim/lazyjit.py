"""numba's ``njit``, deferred: importing the kernel's modules does not import numba (about half a second).

``@njit(...)`` here records the function and its options. The first call of any such function (or a look at a
dispatcher attribute such as ``.stats``) imports numba, makes every recorded function a real numba dispatcher, and
rebinds each module-level name that held a deferred one, so compiled code calls compiled code as with numba's own
decorator (and numba's on-disk cache works as before). A process that runs the ahead-of-time kernel
(:mod:`crossings.sim.kernel_aot`) never makes that first call, so never imports numba.
"""
from __future__ import annotations

import threading
from typing import Any, Callable

_DEFERRED: list["Deferred"] = []
_LOCK = threading.RLock()
_ready = False


class Deferred:
    """A function to be compiled by ``numba.njit(**options)`` when first needed."""

    def __init__(self, py_func: Callable, options: dict[str, Any]) -> None:
        self.py_func, self.options, self.dispatcher = py_func, options, None
        self.__doc__, self.__name__ = py_func.__doc__, py_func.__name__
        self.__qualname__, self.__module__ = py_func.__qualname__, py_func.__module__

    def compiled(self):
        """The numba dispatcher (importing numba and making every deferred function real, once)."""
        if self.dispatcher is None:
            materialise()
        return self.dispatcher

    def __call__(self, *args):
        return self.compiled()(*args)

    def __getattr__(self, name: str):
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"<deferred njit {self.__qualname__}>"


def njit(**options: Any) -> Callable[[Callable], Any]:
    """``numba.njit(**options)``, applied when the function (or another deferred one) is first used."""
    def wrap(func: Callable):
        with _LOCK:
            if _ready:  # numba is loaded already: no reason to wait
                from numba import njit as numba_njit
                return numba_njit(**options)(func)
            d = Deferred(func, options)
            _DEFERRED.append(d)
            return d
    return wrap


def materialise() -> None:
    """Import numba, compile-on-call every deferred function and put the dispatchers where the deferred stood."""
    global _ready
    with _LOCK:
        if _ready:
            return
        from numba import njit as numba_njit
        for d in _DEFERRED:
            d.dispatcher = numba_njit(**d.options)(d.py_func)
        namespaces = {id(d.py_func.__globals__): d.py_func.__globals__ for d in _DEFERRED}
        for ns in namespaces.values():
            for name, value in list(ns.items()):
                if isinstance(value, Deferred):
                    ns[name] = value.compiled()
        _ready = True
