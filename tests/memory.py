"""How much a step makes a fresh Python process grow, for tests that guard what a worker keeps in memory."""
import subprocess
import sys


def growth_mb(setup: str, step: str) -> int:
    """Resident memory (MB) that `step` adds to a new interpreter that has run `setup`."""
    script = (f"{setup}\n"
              "def rss(): return int(open('/proc/self/status').read().split('VmRSS:')[1].split()[0]) // 1024\n"
              f"before = rss()\n{step}\nprint(rss() - before)")
    return int(subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout)
