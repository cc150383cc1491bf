"""Idempotency-Key on every /api/v1 POST: a request repeated with the same key within 24 hours gets the first
answer again and writes nothing twice (a fair day's bad network retries a signing without doubling it).

The key is claimed (a committed row, unique per user) before the view runs, so a retry racing the first
request is told 409 rather than running beside it. A successful answer is kept with the key; a refused one
releases it, since nothing was written and the client may correct its request and send it again.
"""
import hashlib
from datetime import timedelta

from flask import Response, g, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from crm.api.models import IdempotentRequest
from crm.core.db import utcnow
from crm.core.errors import APIError
from crm.extensions import db

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
ABANDONED_AFTER = timedelta(minutes=2)  # a claim whose request never finished (the worker died)


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.full_path):
        digest.update(part.encode() + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _key() -> str | None:
    key = request.headers.get(HEADER, "").strip()
    if not key or request.method != "POST":
        return None
    if len(key) > 255 or not key.isprintable():
        raise APIError(400, "invalid_idempotency_key", _("Idempotency-Key 应为不超过 255 个字符的文本。"),
                       {HEADER: _("格式无效")})
    return key


def replay_or_claim():
    """Before a POST: the kept answer of an earlier request with this key, or claim the key for this one."""
    key = _key()
    if key is None:
        return None
    now, fingerprint = utcnow(), _fingerprint()
    found = db.session.scalar(select(IdempotentRequest).where(IdempotentRequest.user_id == current_user.id,
                                                              IdempotentRequest.key == key))
    if found is not None and now - found.created_at > KEPT_FOR:
        db.session.delete(found)
        db.session.flush()
        found = None
    if found is None:
        return _claim(key, fingerprint, now)
    if found.fingerprint != fingerprint:
        raise APIError(422, "idempotency_key_reused", _("该 Idempotency-Key 已用于另一个请求。"),
                       {HEADER: _("已被使用")})
    if found.status is not None:
        response = Response(found.body, status=found.status, mimetype="application/json")
        response.headers["Idempotent-Replayed"] = "true"
        if found.location:
            response.headers["Location"] = found.location
        return response
    if now - found.created_at < ABANDONED_AFTER:
        raise APIError(409, "request_in_progress", _("使用该 Idempotency-Key 的请求仍在处理中，请稍后重试。"))
    found.created_at = now  # the first attempt died before answering: this one takes its place
    db.session.commit()
    g.idempotent_request_id = found.id
    return None


def _claim(key: str, fingerprint: str, now) -> None:
    db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.user_id == current_user.id,
                                                       IdempotentRequest.created_at < now - KEPT_FOR))
    claim = IdempotentRequest(user_id=current_user.id, key=key, method=request.method, path=request.path[:500],
                              fingerprint=fingerprint, created_at=now)
    db.session.add(claim)
    try:
        db.session.commit()
    except IntegrityError as exc:  # the same key claimed a moment ago by a request still running
        db.session.rollback()
        raise APIError(409, "request_in_progress", _("使用该 Idempotency-Key 的请求仍在处理中，请稍后重试。")) from exc
    g.idempotent_request_id = claim.id


def keep_answer(response):
    """After the POST: keep a successful JSON answer with its key; release the key of any other answer."""
    claim_id = g.pop("idempotent_request_id", None)
    if claim_id is None:
        return response
    kept = 200 <= response.status_code < 300 and response.is_json and not response.is_streamed
    if not kept:
        db.session.rollback()  # a refused request wrote nothing; neither must its cleanup
    claim = db.session.get(IdempotentRequest, claim_id)
    if claim is not None:
        if kept:
            claim.status, claim.body = response.status_code, response.get_data(as_text=True)
            claim.location = response.headers.get("Location", "")[:500]
        else:
            db.session.delete(claim)
        db.session.commit()
    return response
