"""The phrase table of the pinyin keys: the phrases of pypinyin's dictionary that a reading character by
character gets wrong (银行 is yin hang, not yin xing), about 3,400 of its 47,000.

A toneless key needs no other phrase, and pypinyin's whole phrase dictionary costs each worker about 45 MB.
`python -m crm.companies.pinyin_table` prints the table derived from the installed pypinyin (whole, as it
loads without PYPINYIN_NO_PHRASES); tests/companies/test_pinyin.py checks that the file still matches it.
"""
from pathlib import Path

TABLE = Path(__file__).with_name("pinyin_phrases.tsv")


def load() -> dict[str, list[list[str]]]:
    """{phrase: [[reading], ...]}, the shape pypinyin.load_phrases_dict takes."""
    table = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        phrase, reading = line.split("\t")
        table[phrase] = [[syllable] for syllable in reading.split(" ")]
    return table


def derive() -> str:
    """The table's text from pypinyin's own dictionaries: each phrase whose toneless reading differs from the
    first reading of its characters, and each phrase holding such a phrase inside it (which would otherwise be
    cut out of it and read its own way).

    pypinyin cuts a text into the longest phrases it knows, from the left, so a phrase read as its characters
    can still matter by keeping the next one from matching: with the whole dictionary 农畜产品 is cut 农畜 +
    产品 (chu), with this table 农 + 畜产品 (xu). Keeping every such phrase would keep half the dictionary;
    on the 101,744 names of the benchmark data and the seeds, 14 read differently (all 农畜产品), each a
    reading a user may type as well."""
    from pypinyin import Style
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.style import convert

    def toneless(syllable: str) -> str:
        return convert(syllable, Style.NORMAL, strict=True)

    def alone(char: str) -> str:
        readings = PINYIN_DICT.get(ord(char))
        return toneless(readings.split(",")[0]) if readings else char

    readings = {phrase: [toneless(r[0]) for r in value] for phrase, value in PHRASES_DICT.items()}
    differing = {phrase for phrase, reading in readings.items()
                 if len(reading) != len(phrase) or any(r != alone(c) for r, c in zip(reading, phrase, strict=False))}
    holding = {phrase for phrase in readings.keys() - differing
               if any(phrase[i:j] in differing for i in range(len(phrase)) for j in range(i + 2, len(phrase) + 1))}
    return "".join(f"{phrase}\t{' '.join(readings[phrase])}\n" for phrase in sorted(differing | holding))


if __name__ == "__main__":
    print(derive(), end="")
