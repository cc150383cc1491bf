"""Every crm module imports on its own, in a fresh interpreter, whatever was imported before it: models name
each other by string, and every model is loaded before SQLAlchemy resolves those names."""
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                 for p in (ROOT / "crm").rglob("*.py") if "migrations" not in p.parts)


def _import_alone(module: str) -> str | None:
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    return None if result.returncode == 0 else (result.stderr.strip().splitlines() or ["?"])[-1][:200]


@pytest.mark.slow
def test_every_module_imports_in_a_fresh_interpreter():
    assert len(MODULES) > 150
    with ThreadPoolExecutor(2) as pool:
        failures = {m: e for m, e in zip(MODULES, pool.map(_import_alone, MODULES), strict=True) if e}
    assert failures == {}
