"""Application factory: reads like a table of contents; runs no query and starts no scheduler."""
from pathlib import Path

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from crm import config
from crm.core import params
from crm.extensions import babel, csrf, db, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(config.load(Path(app.instance_path), overrides))
    params.install(app)
    register_extensions(app)
    register_listeners()
    register_blueprints(app)
    register_error_handlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    from crm.api.webhooks import install_outbox
    from crm.auth.loaders import register_loaders
    from crm.core import html
    from crm.core.i18n import install_template_gettext, select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "crm" / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone,
                   default_translation_directories=str(ROOT / "crm" / "translations"))
    install_template_gettext(app)
    html.install()
    login_manager.init_app(app)
    register_loaders(app, login_manager)
    install_outbox()  # changes of the kinds webhooks asked for are queued in their own transaction
    _import_models()


def _import_models() -> None:
    """Every model module, so that metadata (migrations, tests) sees every table."""
    from crm import models  # noqa: F401


def register_listeners() -> None:
    """The session listeners that keep derived data in step with writes (search grams, matching and
    dashboard tokens), in every process the factory builds (web workers, the CLI, jobs). They register when
    their module is imported, once per process."""
    from crm.companies import search_index  # noqa: F401
    from crm.matching import versions  # noqa: F401
    from crm.metrics import freshness  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from crm.admin import views as admin_views
    from crm.api import docs as api_docs
    from crm.api import views as api_views
    from crm.api import webhooks_api
    from crm.auth import api as auth_api
    from crm.auth import views as auth_views
    from crm.companies import api as companies_api
    from crm.companies import views as companies_views
    from crm.contacts import views as contacts_views
    from crm.events import api as events_api
    from crm.events import views as events_views
    from crm.home import views as home_views
    from crm.jobs import api as jobs_api
    from crm.jobs import views as jobs_views
    from crm.land import api as land_api
    from crm.land import views as land_views
    from crm.matching import api as matching_api
    from crm.matching import views as matching_views
    from crm.metrics import api as metrics_api
    from crm.metrics import views as metrics_views
    from crm.parks import api as parks_api
    from crm.parks import views as parks_views
    from crm.policies import api as policies_api
    from crm.policies import views as policies_views
    from crm.projects import api as projects_api
    from crm.projects import followup_api
    from crm.projects import views as projects_views
    from crm.reports import views as reports_views

    for module in (home_views, auth_views, admin_views, companies_views, contacts_views, projects_views,
                   events_views, parks_views, matching_views, metrics_views, reports_views, jobs_views,
                   api_views, parks_api, companies_api, projects_api, events_api, matching_api,
                   metrics_api, jobs_api, policies_views, policies_api, land_views, land_api, api_docs, auth_api,
                   webhooks_api, followup_api):
        app.register_blueprint(module.bp)


def register_error_handlers(app: Flask) -> None:
    from crm.core.errors import register_error_handlers as register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from crm.core.db import end_read_only_transaction
    from crm.core.security import register_security

    register_security(app)

    @app.teardown_appcontext
    def end_transaction(error=None):
        # Runs before Flask-SQLAlchemy's own teardown (registered earlier), which rolls back and closes. The
        # answer is already made: a database failing now must not turn it into an error.
        if error is None and db.session.registry.has():
            try:
                end_read_only_transaction(db.session())
            except SQLAlchemyError:
                app.logger.warning("ending a read-only transaction failed", exc_info=True)


def register_template_helpers(app: Flask) -> None:
    from crm.core.formatting import register_filters
    from crm.core.templating import register_globals

    register_filters(app)
    register_globals(app)


def register_cli(app: Flask) -> None:
    from crm.cli import crm_group

    app.cli.add_command(crm_group)
