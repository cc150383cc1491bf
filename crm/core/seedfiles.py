"""Read reference data files from seeds/, and upsert rows while counting what really changed."""
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"


@lru_cache(maxsize=32)
def load_yaml(name: str) -> Any:
    """Parsed once per process; callers must not mutate what it returns."""
    with (SEEDS / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


class ChangeCounter:
    """Counts inserts and updates so a second seed run can say that it changed nothing."""

    def __init__(self):
        self.created: dict[str, int] = {}
        self.updated: dict[str, int] = {}

    def assign(self, obj, kind: str, **values) -> None:
        changed = False
        for key, value in values.items():
            if getattr(obj, key) != value:
                setattr(obj, key, value)
                changed = True
        if changed and getattr(obj, "id", None) is not None:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    def created_one(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        if not self.changed:
            return "seed data already up to date: nothing changed"
        parts = [f"{n} {k} created" for k, n in self.created.items()]
        parts += [f"{n} {k} updated" for k, n in self.updated.items()]
        return ", ".join(parts)
