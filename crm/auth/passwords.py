"""Password rules (等保 level 2 default): length, character classes, not the username, not common, and not
guessable by a real estimator (zxcvbn, offline: its dictionaries ship with the package)."""
import re
import string
from functools import cache

from flask_babel import gettext as _
from zxcvbn import zxcvbn

from crm.core import settings
from crm.core.seedfiles import SEEDS

MIN_LENGTH = settings.declare("password.min_length", 8)
MIN_CLASSES = settings.declare("password.min_classes", 3)
# zxcvbn's scale: 3 is "safely unguessable" against an online attack and slows an offline one
MIN_SCORE = 3
# The estimator's cost grows with the length; the first characters decide whether a password is guessable.
ESTIMATED_CHARACTERS = 64


@cache
def common_passwords() -> frozenset[str]:
    """seeds/common_passwords.txt, lower case (see its sources)."""
    lines = (SEEDS / "common_passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _common(password: str) -> bool:
    """In the list as it is, or once its case and its symbols are dropped (Woaini1314! is woaini1314)."""
    lowered = password.lower()
    return lowered in common_passwords() or re.sub(r"[^0-9a-z]", "", lowered) in common_passwords()


def _classes(password: str) -> int:
    groups = [string.ascii_lowercase, string.ascii_uppercase, string.digits]
    count = sum(any(c in g for c in password) for g in groups)
    return count + any(not c.isalnum() for c in password)


def _why_guessable(warning: str) -> str:
    """zxcvbn's warning (English, fixed texts) in the user's language."""
    reasons = {
        "common": _("它与常用密码相同或相近"),
        "similar": _("它与常用密码相同或相近"),
        "repeats": _("含有重复的字符或片段（如 aaa、abcabc）"),
        "sequences": _("含有连续的字母或数字（如 abc、6543）"),
        "keys": _("含有键盘上相邻的按键（如 qwert、1qaz）"),
        "years": _("含有年份或日期"),
        "dates": _("含有年份或日期"),
        "word": _("只是一个常见单词或姓名"),
        "names": _("只是一个常见单词或姓名"),
    }
    lowered = warning.lower()
    found = next((reason for key, reason in reasons.items() if key in lowered), None)
    return found or _("它的组成方式很常见")


def _guessable(password: str, hints: list[str]) -> str | None:
    result = zxcvbn(password[:ESTIMATED_CHARACTERS], user_inputs=[h for h in hints if h])
    if result["score"] >= MIN_SCORE:
        return None
    return _("该密码容易被猜中（%(why)s）。请使用更长、更少见的组合，例如几个不相关的词加数字和符号。",
             why=_why_guessable(result["feedback"].get("warning") or ""))


def problems(password: str, username: str = "", *hints: str) -> list[str]:
    """Everything wrong with a new password, as messages for the form; empty when acceptable. `hints` are
    other words of the user (display name, unit) that the password should not be built from."""
    found = []
    if len(password) < settings.get(MIN_LENGTH):
        found.append(_("密码至少需要 %(n)s 个字符。", n=settings.get(MIN_LENGTH)))
    if _classes(password) < settings.get(MIN_CLASSES):
        found.append(_("密码需包含大写字母、小写字母、数字、符号中的至少 %(n)s 类。", n=settings.get(MIN_CLASSES)))
    if username and username.lower() in password.lower():
        found.append(_("密码不能包含用户名。"))
    if _common(password):
        found.append(_("该密码过于常见，请换一个。"))
    elif not found and (reason := _guessable(password, [username, *hints, "crm", "qinghai", "zhaoshang"])):
        found.append(reason)
    return found
