"""Valid and broken unified social credit codes for tests (check character computed, not copied)."""
import random

ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def valid_code(seed: int) -> str:
    rnd = random.Random(seed)
    body = "91" + "".join(rnd.choice("0123456789") for _ in range(15))
    return body + ALPHA[(31 - sum(ALPHA.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))) % 31]


def broken_code(seed: int) -> str:
    code = valid_code(seed)
    return code[:-1] + ("0" if code[-1] != "0" else "1")
