"""A cache backend that turns a broken cache into no cache, instead of into a 500.

The site only keeps copies in its cache (pages, settings, spoken questions): nothing lost if
they are gone. So when Redis is down or the file-cache folder is unwritable, every read is a
miss, every write is skipped and the page renders from the database. The throttles keep their
counters in the database (contact/throttle.py, axes' database handler), never here.

After a failure the cache is left alone for RETRY_SECONDS, so a dead Redis costs one refused
connection every few seconds per process, not one per cache call. Configured in settings:

    CACHES = {"default": {"BACKEND": "stowarzyszenie.degrading_cache.DegradingCache",
                          "OPTIONS": {"BACKEND": <the real backend>, ...its options}, ...}}
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5


class DegradingCache(BaseCache):
    def __init__(self, location, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        backend = options.pop("BACKEND")
        super().__init__({**params, "OPTIONS": {}})
        self._make_inner = lambda: import_string(backend)(location, {**params, "OPTIONS": options})
        self._inner = None
        self.down_until = 0.0
        self.last_error = ""

    @property
    def inner(self):
        """The real backend, made on first use: the file cache creates its folder then, and
        that may fail too."""
        if self._inner is None:
            self._inner = self._make_inner()
        return self._inner

    # --- the degrading part ---

    @property
    def degraded(self):
        return time.monotonic() < self.down_until

    def _call(self, name, default, *args, **kwargs):
        if self.degraded:
            return default
        try:
            return getattr(self.inner, name)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - any client error: serve without the cache
            self._failed(exc)
            return default

    def _failed(self, exc):
        if not self.degraded:
            logger.warning("Cache unavailable, serving without it: %s", type(exc).__name__)
        self.down_until = time.monotonic() + RETRY_SECONDS
        self.last_error = type(exc).__name__

    def probe(self):
        """Whether the real cache works right now (for /healthz); ends a pause if it does."""
        try:
            self.inner.set("healthz", "ok", timeout=10)
            answers = self.inner.get("healthz") == "ok"
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            return False
        if answers:
            self.down_until = 0.0
        return answers

    # --- Django's cache API, each call guarded ---

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        if self.degraded:
            raise ValueError(f"Key '{key}' not found (cache unavailable)")
        try:
            return self.inner.incr(key, delta, version=version)
        except ValueError:
            raise
        except Exception as exc:  # noqa: BLE001
            self._failed(exc)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from exc

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version=version)

    def clear(self):
        return self._call("clear", None)

    def close(self, **kwargs):
        # Called after every request: nothing to close if the real cache was never made.
        if self._inner is not None:
            self._call("close", None, **kwargs)
