"""Entry point for `flask --app wsgi` and for gunicorn (`gunicorn wsgi:app`)."""
from crm import create_app
from crm.jobs.embedded import maybe_start

app = create_app()
# Only with CRM_RUN_SCHEDULER=1, only under `flask run` or a server (never other CLI commands), and only
# in the process that wins the scheduler lease: the single-process mode of `make run`.
maybe_start(app)
