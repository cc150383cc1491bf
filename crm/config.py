"""Settings read from CRM_* environment variables, with safe defaults for the embedded SQLite mode."""
import os
import secrets
from datetime import timedelta
from pathlib import Path

TIMEZONE = "Asia/Shanghai"


def _instance_secret(instance_path: Path) -> str:
    """Read the secret key kept in instance/, creating it once: never a constant in the code."""
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def with_driver(url: str) -> str:
    """postgresql://… as people write it, with the driver the app installs (psycopg 3) named."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def load(instance_path: Path, overrides: dict | None = None) -> dict:
    env = os.environ
    database_url = with_driver(env.get("CRM_DATABASE_URL") or f"sqlite:///{instance_path / 'crm.db'}")
    secure_cookies = env.get("CRM_SECURE_COOKIES", "0") == "1"
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        # no pool_pre_ping: crm.core.db tests connections that rested in the pool, not each one on every request
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SECRET_KEY": env.get("CRM_SECRET_KEY") or _instance_secret(instance_path),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=int(env.get("CRM_SESSION_MINUTES", "30"))),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        "WTF_CSRF_TIME_LIMIT": None,  # the session lifetime already bounds the token
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": TIMEZONE,
        "LANGUAGES": ["zh_CN", "en"],
        "MAX_CONTENT_LENGTH": int(env.get("CRM_MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "UPLOAD_FOLDER": env.get("CRM_UPLOAD_FOLDER") or str(instance_path / "uploads"),
        "PROXY_FIX": env.get("CRM_PROXY_FIX", "0") == "1",
        "SMTP_HOST": env.get("CRM_SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("CRM_SMTP_PORT", "25")),
        "SMTP_SENDER": env.get("CRM_SMTP_SENDER", "crm@localhost"),
        "RUN_SCHEDULER": env.get("CRM_RUN_SCHEDULER", "0") == "1",
        # API requests a token may make in a minute (0: no limit); over it the API answers 429 with Retry-After
        "API_RATE_LIMIT": int(env.get("CRM_API_RATE_LIMIT", "600")),
    }
    config.update(overrides or {})
    return config
