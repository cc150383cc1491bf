"""Nothing in the code names a CDN or holds a secret."""
import re

CDN = re.compile(r"cdn\.jsdelivr|unpkg\.com|cdnjs|bootcdn|staticfile\.org|googleapis\.com")
SECRET = re.compile(r"(SECRET_KEY|password)\s*=\s*['\"][^'\"]{6,}['\"]", re.IGNORECASE)


def _sources(root):
    for folder in ("crm", "templates", "static/js", "static/css"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".js", ".css"}:
                yield path


def test_no_cdn_addresses(project_root):
    offenders = [str(p) for p in _sources(project_root) if CDN.search(p.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_hard_coded_secrets_in_the_package(project_root):
    offenders = [str(p) for p in _sources(project_root) if SECRET.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
