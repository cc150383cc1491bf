"""Version tokens: a random token per kind of data, in a small table, replaced by every commit that changed
that kind. Worker processes keep what is costly to derive from the data (the dashboard's figures, the
matching indexes) under the tokens they read before reading the data, so one small read per transaction
tells them whether their copies are current, and a write committed in one process retires the copies of
every process at once.

Each domain says which writes change which kind: its session listeners call `mark_changed`; this module
writes the new tokens as the transaction's last statements before it commits, so other transactions see a
new token exactly when they see the new data.

Why random and written at commit: a rolled-back transaction leaves the old token in place and no later
transaction can write the token it would have had; bumping at commit (not at each flush) holds a token
row's lock only for the commit itself, always in the same order, so concurrent writers never deadlock on
them. A transaction with uncommitted changes of a kind gets no token for it: its reads see its own rows,
which must not be cached under a token other transactions share.
"""
import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, scoped_session

from crm.core.db import flush_for_commit, json_object_of

_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
REGISTERED: list["VersionTokens"] = []  # every set of tokens, for crm.core.prefetch


class VersionTokens:
    """The tokens of `kinds`, kept in `model`'s rows (key column `key`, column `token`)."""

    def __init__(self, name: str, model, key: str, kinds: Sequence):
        self.model, self.key, self.kinds = model, getattr(model, key), tuple(kinds)
        # session.info keys: kinds changed and not committed; the commit has written its tokens; tokens read
        self._pending, self._committing, self._read = f"{name}.pending", f"{name}.committing", f"{name}.read"
        event.listen(Session, "before_commit", self._before_commit)
        event.listen(Session, "after_transaction_end", self._after_transaction_end)
        REGISTERED.append(self)

    def current(self, session) -> dict:
        """{kind: token}, read once per transaction ("" for a kind never written); None for a kind this
        transaction changed and has not committed."""
        if isinstance(session, scoped_session):
            session = session()
        memo = session.info.get(self._read)
        if memo is None or memo[0] is not session.get_transaction():
            found = dict(session.execute(select(self.key, self.model.token)).all())  # autoflushes first
            memo = session.info[self._read] = (session.get_transaction(), {k: found.get(k, "") for k in self.kinds})
        elif session.autoflush and (session.new or session.dirty or session.deleted):
            session.flush()  # as the read would have: the flush marks what this transaction changed
        pending = self.pending(session)
        return {kind: None if kind in pending else token for kind, token in memo[1].items()}

    def column(self, dialect: str):
        """Every token as one JSON object, for the request's first statement (crm.core.prefetch)."""
        return select(json_object_of(dialect, self.key, self.model.token)).scalar_subquery()

    def remember(self, session, found: dict | None) -> None:
        """The tokens column() read in this transaction: current() then reads none itself. JSON keys are
        text, the kinds may be numbers."""
        found = found or {}
        session.info[self._read] = (session.get_transaction(), {k: found.get(str(k), "") for k in self.kinds})

    def pending(self, session) -> set:
        """The kinds this transaction changed and has not committed."""
        return session.info.get(self._pending, set())

    def mark_changed(self, session, kinds: Iterable) -> None:
        """Record that this transaction changed these kinds (the domains' listeners call it, and writers of
        statements the listeners cannot see)."""
        pending = session.info.setdefault(self._pending, set())
        fresh = set(kinds) - pending
        pending |= fresh
        if fresh and session.info.get(self._committing):  # a flush of the commit after the tokens were written
            self._write(session, fresh)

    def _write(self, session, kinds) -> None:
        connection = session.connection()
        upsert = _UPSERT[connection.dialect.name]
        for kind in sorted(kinds):  # one order for every writer
            token = secrets.token_hex(16)
            connection.execute(upsert(self.model).values({self.key.key: kind, "token": token})
                               .on_conflict_do_update(index_elements=[self.key], set_={"token": token}))

    def _before_commit(self, session) -> None:
        if not flush_for_commit(session):  # a savepoint: the enclosing commit writes the tokens
            return
        if pending := self.pending(session):
            self._write(session, pending)
        session.info[self._committing] = True

    def _after_transaction_end(self, session, transaction) -> None:
        if transaction.parent is None:  # committed (tokens written) or rolled back (nothing to announce)
            for key in (self._pending, self._committing, self._read):
                session.info.pop(key, None)
