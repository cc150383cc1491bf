"""Work a web worker does once when it starts, so the first officer to search or open a company does not
wait a second or two for dictionaries and matching data to load (gunicorn.conf.py's post_worker_init)."""
import gc
import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
COLLECTION_THRESHOLDS = (700, 10, 100)  # gc's own are (700, 10, 10)


def warm_up(app: Flask) -> None:
    from crm.companies import search
    from crm.companies.names import pinyin_full
    from crm.extensions import db
    from crm.matching import index, queries, text

    pinyin_full("青海")
    text.warm_up()
    with app.app_context():
        try:
            index.warm_up()
            queries.warm_up()
            search.warm_up(db.session)
        except SQLAlchemyError:  # e.g. a database not migrated yet: the first search or match loads it instead
            log.warning("matching and search data not preloaded", exc_info=True)
    # What was just loaded lives as long as the worker. Left to the collector, each full collection walks
    # its few hundred thousand objects (about 250 ms here), stalling every request queued behind it;
    # frozen, it is never walked again.
    gc.collect()
    gc.freeze()
    # What a worker builds later (matching data brought up to date, SQLAlchemy's statement caches: some
    # 40,000 objects) is walked by every full collection, 40 ms here, and with the default thresholds one
    # came every hundred-odd requests. Requests free their objects by reference counting; a full collection
    # ten times rarer only delays reclaiming the odd reference cycle.
    gc.set_threshold(*COLLECTION_THRESHOLDS)
