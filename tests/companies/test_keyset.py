"""Keyset paging of the company list: next links carry where a page ended, and following them gives the
same companies in the same order as paging by number, on the pages and in the API."""
import html
import re
from datetime import UTC, datetime, timedelta

from crm.companies import landmarks, services
from crm.companies.models import Company, Ownership

NEXT = re.compile(r'href="([^"]+)">下一页</a>')
ROW = re.compile(r'<td><a href="/companies/\d+">([^<]+)</a>')


def _companies(db, n: int, same_time_every: int = 3) -> None:
    start = datetime(2025, 6, 1, tzinfo=UTC)
    for i in range(n):
        company = services.create_company({"name": f"翻页企业{i:02d}有限公司"}, actor=None)
        db.session.flush()
        # several companies share a time, so the id must break the ties
        company.updated_at = start + timedelta(minutes=i // same_time_every)
    db.session.commit()


def _follow(client, url: str) -> tuple[list[str], list[str]]:
    names, links = [], []
    while url:
        page = client.get(url).get_data(as_text=True)
        names += ROW.findall(page)
        found = NEXT.search(page)
        url = html.unescape(found.group(1)) if found else None
        if url:
            links.append(url)
    return names, links


def test_next_links_walk_the_list_by_keyset_in_the_order_of_page_numbers(db, login_as):
    _companies(db, 11)
    manager = login_as("manager")
    for sort in ("updated", "name", "created"):
        by_keyset, links = _follow(manager, f"/companies/?per_page=4&sort={sort}")
        by_number = []
        for page_no in (1, 2, 3):
            page = manager.get(f"/companies/?per_page=4&sort={sort}&page={page_no}").get_data(as_text=True)
            by_number += ROW.findall(page)
        assert len(by_keyset) == 11 and len(set(by_keyset)) == 11, sort
        assert by_keyset == by_number, sort
        assert links and all("after=" in link for link in links), sort


def test_a_company_edited_while_paging_is_neither_shown_twice_nor_skipped_by_the_rest(db, login_as):
    _companies(db, 8, same_time_every=1)
    manager = login_as("manager")
    first = manager.get("/companies/?per_page=4").get_data(as_text=True)
    shown = ROW.findall(first)
    # the newest company on page 1 is edited: by page number it would move and push a company back onto page 2
    edited = db.session.query(Company).filter_by(name=shown[0]).one()
    edited.updated_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.session.commit()
    rest, _links = _follow(manager, html.unescape(NEXT.search(first).group(1)))
    assert not set(rest) & set(shown) and len(shown + rest) == 8


def test_a_sort_on_an_optional_column_and_a_broken_cursor_page_by_number(db, login_as):
    _companies(db, 6)
    manager = login_as("manager")
    page = manager.get("/companies/?per_page=4&sort=revenue").get_data(as_text=True)
    assert "after=" not in NEXT.search(page).group(1)
    for cursor in ("garbage", "2025-13-01T00:00:00|5", "2025-06-01T00:00:00|5", "x" * 600):
        answer = manager.get(f"/companies/?per_page=4&page=2&after={cursor}")
        assert answer.status_code == 200 and len(ROW.findall(answer.get_data(as_text=True))) == 2, cursor


def test_api_gives_the_next_cursor(db, api_as):
    _companies(db, 5)
    api = api_as("manager")
    first = api.get("/api/v1/companies?per_page=3").get_json()
    second = api.get(f"/api/v1/companies?per_page=3&after={first['next_after']}").get_json()
    names = [c["name"] for c in first["items"] + second["items"]]
    assert len(set(names)) == 5 and "next_after" not in second


def test_pages_by_number_read_from_landmarks_show_what_offset_paging_shows(db, login_as, monkeypatch):
    monkeypatch.setattr(landmarks, "STEP", 4)  # a landmark every 4 companies: page 3 of 3 rows already seeks
    _companies(db, 23)
    manager = login_as("manager")

    def by_number(sort: str) -> list[str]:
        return [name for page_no in range(1, 10) for name in
                ROW.findall(manager.get(f"/companies/?per_page=3&sort={sort}&page={page_no}").get_data(as_text=True))]

    for sort in ("updated", "name", "created"):
        by_keyset, _links = _follow(manager, f"/companies/?per_page=3&sort={sort}")
        assert len(set(by_keyset)) == 23 and by_number(sort) == by_keyset, sort
        assert len(landmarks._SETS[sort].rows) == 5, sort  # companies 4, 8, ... 20 of the order
    kept = landmarks._SETS["updated"]
    assert by_number("updated") and landmarks._SETS["updated"] is kept  # nothing changed: the same set

    # an edit moves a company to the front of "updated": the pages by number follow at once
    edited = db.session.query(Company).filter_by(name="翻页企业02有限公司").one()
    services.update_company(edited, {"name": edited.name, "notes": "新的进展"}, actor=None)
    db.session.commit()
    by_keyset, _links = _follow(manager, "/companies/?per_page=3&sort=updated")
    assert by_keyset[0] == "翻页企业02有限公司" and by_number("updated") == by_keyset
    assert landmarks._SETS["updated"] is not kept


def test_a_filtered_list_pages_by_offset_without_landmarks(db, login_as, monkeypatch):
    monkeypatch.setattr(landmarks, "STEP", 2)
    _companies(db, 9)
    manager = login_as("manager")
    whole = ROW.findall(manager.get("/companies/?per_page=9").get_data(as_text=True))
    page = manager.get(f"/companies/?per_page=2&page=3&ownership={Ownership.other.value}").get_data(as_text=True)
    assert ROW.findall(page) == whole[4:6] and landmarks._SETS == {}
