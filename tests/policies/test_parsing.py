"""Splitting policy texts into numbered clauses."""
from crm.core.seedfiles import SEEDS
from crm.policies.parsing import chinese_number, split_clauses


def test_chinese_numbers():
    assert [chinese_number(t) for t in ("一", "十", "十八", "二十三", "三十")] == [1, 10, 18, 23, 30]


def test_three_levels_with_paths_in_order():
    text = ("前言一句。\n一、总则\n（一）目的。为了……\n1. 第一点。\n2. 第二点。\n（二）范围。本办法……\n"
            "二、附则\n(一)施行。自印发之日起施行。")
    clauses = split_clauses(text)
    assert [c.path for c in clauses] == ["", "一、", "一、（一）", "一、（一）1.", "一、（一）2.", "一、（二）", "二、",
                                         "二、（一）"]
    assert clauses[0].text == "前言一句。"
    assert clauses[2].heading == "目的"
    assert [c.position for c in clauses] == list(range(len(clauses)))


def test_numbers_inside_sentences_open_no_clause():
    text = "一、目标\n到2020年，一、二、三产业协调发展，占比达到1.5倍；实施“123”工程。\n二、措施\n完善机制。"
    assert [c.path for c in split_clauses(text)] == ["一、", "二、"]


def test_a_text_without_line_breaks_is_split_too():
    text = ("为落实……，现印发给你们。一、总体要求(一)指导思想。坚持稳中求进。(二)基本原则。统筹谋划。"
            "二、主要任务(一)实施工程。聚力打造。")
    paths = [c.path for c in split_clauses(text)]
    assert paths == ["", "一、", "一、（一）", "一、（二）", "二、", "二、（一）"]


def test_document_002_keeps_its_land_clause_whole():
    text = (SEEDS / "policies" / "texts" / "002_9dc448cbea2cbacf.txt").read_text(encoding="utf-8")
    clauses = split_clauses(text)
    land = next(c for c in clauses if c.path == "七、（十八）")
    assert land.heading == "集约利用土地"
    assert "优先保障投资强度超过500万元/亩或亩均税收超过30万元的项目" in land.text
    assert len([c for c in clauses if c.depth == 2]) == 23  # （一）…（二十三）
