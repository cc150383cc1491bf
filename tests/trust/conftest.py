"""Fixtures of the trust tests: the NANCHUAN world and fresh signed-in clients for each request."""
import secrets

import pytest

from crm.auth import services as auth_services
from crm.extensions import db
from tests.conftest import ApiClient, make_user
from tests.trust.world import build_world


@pytest.fixture
def world(seeded):
    return build_world()


class Actor:
    """One user; `page()` gives a new signed-in browser each time (a walked route may sign it out)."""

    def __init__(self, app, role: str, parks=()):
        self.app = app
        self.user = make_user(f"{role}_{secrets.token_hex(3)}", role, parks)
        _token, raw = auth_services.create_token(self.user, "trust")
        db.session.commit()
        self.api = ApiClient(app.test_client(), raw, self.user)

    def page(self):
        db.session.refresh(self.user)  # the session token changes when a route ends the sessions
        client = self.app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = self.user.get_id()
            session["_fresh"] = True
        return client

    def client_for(self, route):
        return self.api if route.is_api else self.page()


@pytest.fixture
def actor(app, db):
    return lambda role, parks=(): Actor(app, role, parks)
