"""gunicorn's settings for the CRM, read from the working directory (`gunicorn wsgi:app`).

Two single-threaded (sync) workers suit the two-core machine a park runs: page work is Python, which one
process runs on one core at a time, so extra threads in a worker only make requests share the core
and the slowest answers slower (docs/performance.md compares both). Sync workers expect a buffering
reverse proxy (nginx) in front, which keeps slow intranet clients off them.
"""
import os

workers = int(os.environ.get("CRM_WORKERS", "2"))
threads = int(os.environ.get("CRM_THREADS", "1"))
timeout = 120  # the long xlsx exports and the backup download stay within one request
bind = os.environ.get("CRM_BIND", "127.0.0.1:8000")


def post_worker_init(worker):
    """Load what a worker's first request would otherwise wait for (jieba's dictionary, pinyin tables)."""
    from crm.core.warmup import warm_up

    warm_up(worker.wsgi)
