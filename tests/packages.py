"""Debian packages the browser tests need (Chromium and a CJK font): installed when missing, since CI runs as
root on a fresh machine; where that fails the test fails and says what to install. Not root (a developer's
machine): the tests that need them are skipped with a line naming the packages, never silently."""
import os
import subprocess

import pytest


def apt_install(*packages: str, needed_for: str, recommends: bool = True) -> None:
    if os.geteuid() != 0:
        pytest.skip(f"{needed_for} need {', '.join(packages)}: installing them takes root "
                    f"(sudo apt-get install -y {' '.join(packages)}), or run the tests as root")
    options = "-y" if recommends else "-y --no-install-recommends"
    command = f"apt-get update && apt-get install {options} {' '.join(packages)}"
    result = subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=False,
                            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    if result.returncode != 0:
        pytest.fail(f"could not install {', '.join(packages)} for {needed_for} (as root: apt-get install -y "
                    f"{' '.join(packages)}):\n{result.stderr[-2000:]}", pytrace=False)
