"""gunicorn settings of the benchmark: the product's own (gunicorn.conf.py), plus a note from each worker
once it has warmed up, so that no request is timed while a worker is still loading its dictionaries."""
import os
from pathlib import Path

_product: dict = {}
_source = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
exec(compile(_source.read_text(), str(_source), "exec"), _product)  # noqa: S102 - our own settings file
workers, threads, timeout, bind = (_product[k] for k in ("workers", "threads", "timeout", "bind"))


def post_worker_init(worker):
    _product["post_worker_init"](worker)
    ready = Path(os.environ["CRM_BENCH_READY"])
    if ready.is_dir():  # gone once the run has begun: a worker started again later has nobody to tell
        (ready / str(os.getpid())).touch()
