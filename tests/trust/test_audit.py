"""The audit trail: append-only, searchable and exportable by admins, kept at least 180 days."""
from datetime import timedelta

import pytest
from sqlalchemy import delete, update

from crm.admin import retention
from crm.core import audit, settings
from crm.core.audit import AuditEntry, AuditImmutableError
from crm.core.db import utcnow
from crm.core.errors import ServiceError
from crm.core.formatting import local_today
from tests.conftest import PASSWORD, make_user


def _entry(db, days_ago: int = 0, action: str = "company.update", summary: str = "改名") -> AuditEntry:
    entry = audit.record(action, object_type="companies", object_id=7, summary=summary,
                         changes={"name": ["旧名", "新名"]})
    entry.at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return entry


def test_entries_cannot_be_changed_or_deleted_through_the_application(db):
    entry = _entry(db)
    entry.summary = "篡改"
    with pytest.raises(AuditImmutableError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditImmutableError):
        db.session.flush()
    db.session.rollback()
    for statement in (update(AuditEntry).values(summary="x"), delete(AuditEntry)):
        with pytest.raises(AuditImmutableError):
            db.session.execute(statement)
        db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).summary == "改名"


def test_sign_in_success_and_failure_are_recorded_with_ip(client, db):
    make_user("audited", "officer")
    client.post("/login", data={"username": "audited", "password": "wrong"})
    client.post("/login", data={"username": "audited", "password": PASSWORD})
    actions = [(e.action, e.ip) for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert ("auth.login_failed", "127.0.0.1") in actions and ("auth.login", "127.0.0.1") in actions


def test_admin_searches_and_exports_the_log(login_as, db):
    _entry(db, summary="<script>alert(1)</script>")
    _entry(db, action="project.stage", summary="签约")
    admin = login_as("admin")
    page = admin.get("/admin/audit?action=company&object_type=companies").get_data(as_text=True)
    assert "&lt;script&gt;" in page and "<script>alert" not in page and "签约" not in page
    assert "旧名 → 新名" in page
    today = local_today(utcnow()).isoformat()
    assert "签约" in admin.get(f"/admin/audit?start={today}&end={today}").get_data(as_text=True)
    export = admin.get("/admin/audit/export.csv?action=project")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "签约" in export.get_data(as_text=True) and "改名" not in export.get_data(as_text=True)
    assert db.session.query(AuditEntry).filter_by(action="audit.export").count() == 1
    assert login_as("manager").get("/admin/audit").status_code == 403


def test_export_neutralises_spreadsheet_formulas(login_as, db):
    _entry(db, summary="=HYPERLINK(\"http://evil\")")
    body = login_as("admin").get("/admin/audit/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body


def test_retention_never_below_180_days(db):
    settings.put(retention.RETENTION_DAYS, 30)
    db.session.commit()
    assert retention.retention_days() == 180


def test_prune_refuses_recent_dates_and_deletes_only_old_entries(runner, db):
    old, recent = _entry(db, days_ago=400), _entry(db, days_ago=100)
    old_id, recent_id = old.id, recent.id
    too_recent = (local_today(utcnow()) - timedelta(days=100)).isoformat()
    result = runner.invoke(args=["crm", "audit", "prune", "--before", too_recent])
    assert result.exit_code != 0 and "180" in result.output
    with pytest.raises(ServiceError):
        retention.prune(local_today(utcnow()), now=utcnow())
    db.session.rollback()
    cutoff = (local_today(utcnow()) - timedelta(days=200)).isoformat()
    result = runner.invoke(args=["crm", "audit", "prune", "--before", cutoff])
    assert result.exit_code == 0 and "deleted 1" in result.output, result.output
    db.session.expire_all()
    assert db.session.get(AuditEntry, old_id) is None and db.session.get(AuditEntry, recent_id) is not None
    assert db.session.query(AuditEntry).filter_by(action="audit.prune").count() == 1


def test_security_settings_page_saves_and_audits(login_as, db):
    admin = login_as("admin")
    assert admin.get("/admin/settings").status_code == 200
    response = admin.post("/admin/settings", data={"min_length": 10, "min_classes": 3, "max_age_days": 90,
                                                   "retention_days": 365})
    assert response.status_code == 302
    assert retention.retention_days() == 365
    refused = admin.post("/admin/settings", data={"min_length": 4, "min_classes": 1, "max_age_days": -1,
                                                  "retention_days": 30})
    assert refused.status_code == 422 and retention.retention_days() == 365
    entry = db.session.query(AuditEntry).filter_by(action="settings.update").one()
    assert entry.changes["retention_days"] == [180, 365]
