"""What a worker process keeps for matching, each value under the version tokens (crm.matching.versions)
of the data it was built from: a value is served only while those tokens are unchanged."""
from collections.abc import Callable

from crm.matching import versions

_cache: dict[str, tuple] = {}


def cached(name: str, key, build: Callable):
    """The value kept under `name` when it was built for `key`, else a fresh one from build(). A key
    holding None (data this transaction changed and has not committed) is never kept."""
    if key is None or (isinstance(key, tuple) and None in key):
        return build()
    found = _cache.get(name)
    if found is not None and found[0] == key:
        return found[1]
    value = build()
    _cache[name] = (key, value)
    return value


def kept(name: str) -> tuple | None:
    """(key, value) kept under `name`, whatever its key: for deriving the next value from the last one."""
    return _cache.get(name)


def token(kind: str) -> str | None:
    return versions.current()[kind]


def per_version(name: str, *kinds: str) -> dict:
    """A dict for results derived from these kinds of data (versions.PARKS ...), emptied when one changes."""
    tokens = versions.current()
    return cached(name, tuple(tokens[kind] for kind in kinds), dict)


def clear() -> None:
    _cache.clear()
