"""`crm backup` writes the database and the uploaded evidence into one archive only its owner can read;
`crm restore` brings both back, into an empty database and an empty folder."""
import stat
import tarfile

from sqlalchemy import create_engine, select

from crm.admin.backup import table_count
from crm.core import uploads
from crm.projects.models import Project
from tests import factories
from tests.trust.test_backup_restore import empty_target  # noqa: F401 - the fixture, reused

EVIDENCE = b"%PDF-1.4\n% bank receipt of 55 wan yuan\n%%EOF\n"


def test_backup_holds_the_uploads_is_private_and_restores_both(app, runner, seeded, empty_target, tmp_path):  # noqa: F811
    factories.project("NANCHUAN", name="备份证据项目")
    seeded.session.commit()
    with app.test_request_context():
        stored = uploads.store(uploads.CheckedUpload(kind="pdf", data=EVIDENCE, original_name="回单.pdf"), "funds")
    out = tmp_path / "crm.backup"
    result = runner.invoke(args=["crm", "backup", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    with tarfile.open(out) as archive:
        names = archive.getnames()
    assert f"uploads/{stored}" in names and any(n.startswith("database.") for n in names)

    target_url, target_options = empty_target
    folder = tmp_path / "restored-uploads"
    result = runner.invoke(args=["crm", "restore", str(out), "--into", target_url, "--uploads-into", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / stored).read_bytes() == EVIDENCE
    restored = create_engine(target_url, **target_options)
    with restored.connect() as conn:
        names = set(conn.execute(select(Project.name)).scalars())
    restored.dispose()
    assert "备份证据项目" in names


def test_restore_refuses_an_uploads_folder_holding_files_before_touching_the_database(app, runner, seeded,
                                                                                     empty_target, tmp_path):  # noqa: F811
    with app.test_request_context():
        uploads.store(uploads.CheckedUpload(kind="pdf", data=EVIDENCE, original_name="回单.pdf"), "funds")
    out = tmp_path / "crm.backup"
    assert runner.invoke(args=["crm", "backup", str(out)]).exit_code == 0
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.pdf").write_bytes(b"%PDF-1.4 live file")
    target_url, target_options = empty_target
    result = runner.invoke(args=["crm", "restore", str(out), "--into", target_url, "--uploads-into", str(busy)])
    assert result.exit_code != 0 and "not empty" in result.output
    assert table_count(target_url, target_options) == 0  # nothing restored halfway
    assert (busy / "keep.pdf").read_bytes() == b"%PDF-1.4 live file"
