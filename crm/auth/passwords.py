"""Password rules (等保 level 2 default): length, character classes, not the username, not common."""
import string

from flask_babel import gettext as _

from crm.core import settings

MIN_LENGTH = settings.declare("password.min_length", 8)
MIN_CLASSES = settings.declare("password.min_classes", 3)

# The most used passwords of public leak lists, plus the obvious local ones.
COMMON = {
    "123456", "12345678", "123456789", "1234567890", "password", "password1", "password123",
    "qwerty123", "qwertyuiop", "1qaz2wsx", "1q2w3e4r", "abc12345", "abcd1234", "a1234567", "admin123",
    "admin@123", "admin1234", "iloveyou", "woaini1314", "5201314", "88888888", "11111111", "00000000",
    "p@ssw0rd", "passw0rd", "qwe123!@#", "zaq12wsx", "welcome1", "changeme", "root1234", "test1234",
    "aa123456", "qq123456", "zxcvbnm1", "Aa123456", "Aa123456!", "P@ssw0rd", "P@ssword1", "Qwer1234",
}


def _classes(password: str) -> int:
    groups = [string.ascii_lowercase, string.ascii_uppercase, string.digits]
    count = sum(any(c in g for c in password) for g in groups)
    return count + any(not c.isalnum() for c in password)


def problems(password: str, username: str = "") -> list[str]:
    """Everything wrong with a new password, as messages for the form; empty when acceptable."""
    found = []
    if len(password) < settings.get(MIN_LENGTH):
        found.append(_("密码至少需要 %(n)s 个字符。", n=settings.get(MIN_LENGTH)))
    if _classes(password) < settings.get(MIN_CLASSES):
        found.append(_("密码需包含大写字母、小写字母、数字、符号中的至少 %(n)s 类。", n=settings.get(MIN_CLASSES)))
    if username and username.lower() in password.lower():
        found.append(_("密码不能包含用户名。"))
    if password in COMMON or password.lower() in {p.lower() for p in COMMON}:
        found.append(_("该密码过于常见，请换一个。"))
    return found
