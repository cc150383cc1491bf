"""The company search index: every two consecutive characters of the texts the search matches, and every three
consecutive letters or digits, per live (not merged) company, the only ones a list shows.

A text containing q contains each of q's grams, so the companies holding q's grams include every company
whose text contains q. The grams of three letters serve pinyin initials: a query of three letters is one
gram, whose holders are exactly its matches (search.py), so "gem" (格尔木) lists its 2,500 companies of
100,000 from the index alone instead of reading each one's row to test it; a longer one is narrowed by
grams rarer than pairs of letters. Texts and queries are folded to ASCII lower case on both sides, so the
grams never miss a match of SQLite's case-blind LIKE (PostgreSQL's case-sensitive LIKE matches a subset of
those).
The grams are written after each flush that adds a company or changes one of its texts, and dropped when it
is merged into another or deleted, in the same transaction; bulk loads that bypass the ORM call `rebuild`
(`crm reindex-company-search`).
"""
import re
import string
from contextlib import contextmanager

from sqlalchemy import bindparam, delete, event, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from crm.companies.models import Company, CompanySearchGram

TEXTS = ("name", "name_norm", "former_norms", "pinyin_initials", "search_words")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_LETTERS_OR_DIGITS = re.compile(r"^[a-z0-9]+$")


def fold(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def letters_or_digits(text: str) -> bool:
    """Only ASCII lower-case letters and digits: pinyin, or a folded Latin name."""
    return bool(_LETTERS_OR_DIGITS.match(text))


def _slices(text: str, n: int) -> set[str]:
    return {text[i:i + n] for i in range(len(text) - n + 1)}


def grams(text: str) -> set[str]:
    """The grams of a folded text: its pairs of characters, and its runs of three letters or digits."""
    return _slices(text, 2) | {t for t in _slices(text, 3) if letters_or_digits(t)}


def needle_grams(needle: str) -> set[str]:
    """The grams every text containing the folded needle holds, the most telling kind only: three letters
    where the needle is all letters or digits (long enough), else pairs."""
    return _slices(needle, 3 if len(needle) >= 3 and letters_or_digits(needle) else 2)


def company_grams(*texts) -> set[str]:
    """The grams of a company's TEXTS (name, name_norm, former_norms, pinyin_initials, search_words)."""
    return set().union(*(grams(fold(text or "")) for text in texts))


def write_grams(connection, company_texts: list[tuple], *, replace: bool = True) -> None:
    """(company id, *TEXTS) tuples → their grams, replacing the companies' old grams unless told they have none."""
    if replace:
        connection.execute(delete(CompanySearchGram)
                           .where(CompanySearchGram.company_id.in_([row[0] for row in company_texts])))
    rows = [(g, company_id) for company_id, *texts in company_texts for g in sorted(company_grams(*texts))]
    if rows:
        _insert(connection, rows)


def _insert(connection, rows: list[tuple[str, int]]) -> None:
    """(gram, company id) rows, as the driver takes them: an import's batch brings 33,000, which through
    SQLAlchemy's per-row parameter handling took 4.6 of an import's 25 s on SQLite. PostgreSQL: one COPY."""
    if connection.dialect.name == "postgresql":
        _copy(connection, rows)
    else:
        connection.exec_driver_sql("INSERT INTO company_search_grams (gram, company_id) VALUES (?, ?)", rows)


def fill_search_words(session, batch: int = 2000) -> int:
    """Compute the search words of the companies that have none (written before they existed, or by bulk SQL).
    Returns how many were filled."""
    from crm.companies.names import search_words  # pypinyin is loaded only when words are made

    connection, done = session.connection(), 0
    while rows := connection.execute(select(Company.id, Company.name, Company.aliases)
                                     .where(Company.search_words == "").order_by(Company.id).limit(batch)).all():
        table = Company.__table__
        connection.execute(table.update().where(table.c.id == bindparam("cid")).values(search_words=bindparam("words")),
                           [{"cid": cid, "words": search_words(name, aliases) or "|"} for cid, name, aliases in rows])
        done += len(rows)
    return done


def rebuild(session, batch: int = 5000) -> int:
    """Recompute every company's grams, for companies written without the ORM (the demo's bulk load).
    Runs in the session's transaction; the caller commits. Returns the number of companies."""
    connection = session.connection()
    connection.execute(delete(CompanySearchGram))
    with _bulk_load(connection) as write:
        texts = [getattr(Company, name) for name in TEXTS]
        last, done = 0, 0
        while rows := connection.execute(select(Company.id, *texts)
                                         .where(Company.id > last, Company.merged_into_id.is_(None))
                                         .order_by(Company.id).limit(batch)).all():
            write([(g, company_id) for company_id, *company_texts in rows
                   for g in sorted(company_grams(*company_texts))])
            last, done = rows[-1][0], done + len(rows)
    return done


@contextmanager
def _bulk_load(connection):
    """A writer of (gram, company id) rows: 3.3 million for 100,000 companies. PostgreSQL: COPY into the bare
    table, then its primary key and index built once (a fifth of the time of checking each row against
    them); SQLite: one plain executemany per batch."""
    table = CompanySearchGram.__table__
    if connection.dialect.name != "postgresql":
        yield lambda rows: _insert(connection, rows)
        return
    # isolate_from_table=False: by default SQLAlchemy marks the model's key as "added by ALTER", and every
    # later CREATE TABLE of this process (tests, create_all) would leave it out.
    connection.execute(DropConstraint(table.primary_key, isolate_from_table=False))
    for index in table.indexes:
        index.drop(connection)

    yield lambda rows: _copy(connection, rows)
    connection.execute(AddConstraint(table.primary_key, isolate_from_table=False))
    for index in table.indexes:
        index.create(connection)


def _copy(connection, rows: list[tuple[str, int]]) -> None:
    with connection.connection.cursor() as cursor, \
            cursor.copy("COPY company_search_grams (gram, company_id) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _changed(company: Company, names) -> bool:
    attrs = inspect(company).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _texts(company: Company) -> tuple:
    return (company.id, *(getattr(company, name) for name in TEXTS))


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context) -> None:
    """New companies, and companies whose searched texts changed, get their grams with the flush; a company
    merged into another, or deleted, loses them."""
    new = [_texts(c) for c in session.new if isinstance(c, Company) and c.merged_into_id is None]
    dirty = [c for c in session.dirty if isinstance(c, Company) and _changed(c, (*TEXTS, "merged_into_id"))]
    if new:
        write_grams(session.connection(), new, replace=False)
    live = [_texts(c) for c in dirty if c.merged_into_id is None]
    if live:
        write_grams(session.connection(), live)
    gone = [c.id for c in dirty if c.merged_into_id is not None]
    gone += [c.id for c in session.deleted if isinstance(c, Company)]
    if gone:
        session.connection().execute(delete(CompanySearchGram).where(CompanySearchGram.company_id.in_(gone)))
