"""The import sheet of the benchmark: 10,000 rows as a department's Excel list looks, with its usual faults.

Most rows are companies the database lacks; some name companies it holds (an update or a duplicate), some
repeat an earlier row of the sheet, some carry a wrong credit code or a bad amount. Names are invented like
the demo's, from a seed of their own, so the sheet is the same on every run.
"""
import io
import random

from openpyxl import Workbook
from sqlalchemy import create_engine, text

from crm.demo import vocab
from crm.demo.companies import credit_code

HEADERS = ["企业名称", "统一社会信用代码", "企业性质", "所属行业", "主营业务", "总部省份", "总部城市",
           "注册资本(万元)", "营业收入(万元)", "榜单", "来源", "备注"]
INDUSTRIES = ("新材料", "锂及锂电池", "光伏制造", "盐湖化工", "生态旅游", "高原特色农牧业", "装备制造")
OWNERSHIPS = ("民企", "民营企业", "地方国企", "央企", "外资", "其他")


def _existing(url: str, count: int, rng: random.Random) -> list[tuple[str, str | None]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT name, credit_code FROM companies WHERE merged_into_id IS NULL "
                                 "ORDER BY id LIMIT 20000")).all()
    engine.dispose()
    return [tuple(row) for row in rng.sample(rows, count)]


def _new_name(rng: random.Random, serial: int) -> str:
    trade = rng.choice(vocab.TRADES)[0]
    chars = "".join(rng.choice(vocab.TRADE_CHARS) for _ in range(3))
    return f"{rng.choice(vocab.PLACES)}{chars}{trade}{serial % 97:02d}{rng.choice(vocab.SUFFIXES)}"


def build(url: str, rows: int = 10_000, seed: int = 77) -> tuple[bytes, dict]:
    """The xlsx bytes and what the sheet holds by design (new, known, repeated, broken rows)."""
    rng = random.Random(seed)
    known = _existing(url, rows // 50, rng)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业名录")
    sheet.append(HEADERS)
    made, plan = [], {"rows": rows, "known": 0, "repeated": 0, "broken": 0}
    for n in range(rows):
        roll = rng.random()
        if roll < 0.02 and known:
            name, code = known.pop()
            plan["known"] += 1
        elif roll < 0.03 and made:
            name, code = rng.choice(made)
            plan["repeated"] += 1
        else:
            name, code = _new_name(rng, n), credit_code(9_000_000 + n, "630100") if rng.random() < 0.8 else ""
            made.append((name, code))
        if roll > 0.99:
            code = code[:-1] + ("0" if code and code[-1] != "0" else "1") if code else "91630100MA0000000X"
            plan["broken"] += 1
        sheet.append([name, code or "", rng.choice(OWNERSHIPS), rng.choice(INDUSTRIES),
                      rng.choice(vocab.TRADES)[1], "青海省", "西宁市", rng.choice(("500", "1,000", "5000", "")),
                      rng.choice(("", "12000", "350000.5")), rng.choice(("", "", "", "中国民营企业500强 2024")),
                      "名录导入", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), plan
