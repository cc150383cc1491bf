"""Unbound extension instances; crm.app binds them to the application."""
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.orm import Mapper

from crm.core.db import Base

db = SQLAlchemy(model_class=Base)


@event.listens_for(Mapper, "before_configured")
def _load_every_model() -> None:
    """Models name each other by string (relationship("Industry")): before SQLAlchemy resolves those names,
    every model module is loaded, so that any module imports on its own, whichever it is."""
    import crm.models  # noqa: F401
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
