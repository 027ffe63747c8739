"""The encrypted local cache (SQLCipher): open it with `Cache.open`, write through `cache.write`,
read with `cache.read()`; the domain modules are plain functions taking a connection."""

from app.store.db import Cache, CacheClosed, CacheCorrupt, DiskError, WrongKey

__all__ = ["Cache", "CacheClosed", "CacheCorrupt", "DiskError", "WrongKey"]
