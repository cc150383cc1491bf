"""Split a policy text into its numbered clauses (一、 （一） 1. …), kept in order. Pure: text in, clauses out.

Government texts number three levels: 一、 for sections, （一） or (一) for items, 1、 or 1. for points.
A marker counts only at the start of a line or after a sentence's end (。；：), so "一、二产业" or
"2020年" inside a sentence never opens a clause; sections and points must also follow their
predecessor's number (or start again at one), which keeps enumerations inside a sentence out.
Texts copied from web pages often lose their line breaks (one long line): the same rules apply there.
"""
import re
from dataclasses import dataclass, field

_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

_CN = "[一二三四五六七八九十]{1,4}"
_MARKER = re.compile(
    rf"(?P<section>(?<![（(\d])(?P<s>{_CN})、)"
    rf"|(?P<item>[（(](?P<i>{_CN})[）)])"
    r"|(?P<point>(?<![\d.．])(?P<p>\d{1,2})[、.．](?!\d))"
)
# What may stand right before a marker: the start, a line break, a sentence's end, a space or a dash.
_BOUNDARY = set("\n。；;：:　 \t-—-")
HEADING_MAX = 30


def chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十八 → 18, 二十三 → 23."""
    if text == "十":
        return 10
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_NUMERALS.get(tens, 1) if tens else 1) * 10 + (_NUMERALS.get(units, 0) if units else 0)
    return _NUMERALS.get(text, 0)


@dataclass
class ParsedClause:
    position: int
    depth: int  # 0 preamble, 1 section 一、, 2 item （一）, 3 point 1.
    number: str  # as the document writes it, normalised: "七、" "（十八）" "1."
    path: str  # the numbers from the section down: "七、（十八）"
    heading: str
    text: str
    tags: list[str] = field(default_factory=list)


@dataclass
class _Marker:
    start: int
    end: int
    depth: int
    value: int
    number: str


def _markers(text: str) -> list[_Marker]:
    found: list[_Marker] = []
    last = {1: 0, 2: 0, 3: 0}
    for match in _MARKER.finditer(text):
        before = text[match.start() - 1] if match.start() else "\n"
        at_line_start = before == "\n" or text[:match.start()].rstrip(" 　\t").endswith("\n") or match.start() == 0
        if match.group("section"):
            depth, value, number = 1, chinese_number(match.group("s")), match.group("s") + "、"
        elif match.group("item"):
            depth, value, number = 2, chinese_number(match.group("i")), f"（{match.group('i')}）"
        else:
            depth, value, number = 3, int(match.group("p")), match.group("p") + "."
        in_sequence = value in (last[depth] + 1, 1)
        if depth == 2:
            # an item may follow a section's heading directly: "一、总体要求(一)指导思想。"
            after_heading = bool(found) and found[-1].depth == 1 and match.start() - found[-1].end <= HEADING_MAX
            ok = at_line_start or before in _BOUNDARY or after_heading
        else:
            ok = (at_line_start or before in _BOUNDARY) and (in_sequence or at_line_start)
        if not ok or value == 0:
            continue
        found.append(_Marker(match.start(), match.end(), depth, value, number))
        last[depth] = value
        for deeper in range(depth + 1, 4):
            last[deeper] = 0
    return found


def _heading_and_body(body: str) -> tuple[str, str]:
    """A clause's short title: its first line or sentence when short ("集约利用土地。…" → "集约利用土地")."""
    body = body.strip()
    first_line, _, rest = body.partition("\n")
    if first_line and len(first_line) <= HEADING_MAX and not any(mark in first_line for mark in "。；："):
        return first_line.strip(), rest.strip()
    sentence = re.match(rf"([^。；：:]{{1,{HEADING_MAX}}})[。：:]", body)
    if sentence:
        return sentence.group(1).strip(), body
    return "", body


def _clean(text: str) -> str:
    lines = [line.strip(" 　\t") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def split_clauses(text: str) -> list[ParsedClause]:
    """The clauses of a policy text in document order; text before the first marker is the preamble."""
    text = _clean(text)
    markers = _markers(text)
    clauses: list[ParsedClause] = []
    preamble = text[:markers[0].start if markers else len(text)].strip()
    if preamble:
        clauses.append(ParsedClause(0, 0, "", "", "", preamble))
    path: dict[int, str] = {}
    for index, marker in enumerate(markers):
        end = markers[index + 1].start if index + 1 < len(markers) else len(text)
        heading, body = _heading_and_body(text[marker.end:end])
        path[marker.depth] = marker.number
        for deeper in range(marker.depth + 1, 4):
            path.pop(deeper, None)
        full_path = "".join(path[d] for d in sorted(path) if d <= marker.depth)
        clauses.append(ParsedClause(len(clauses), marker.depth, marker.number, full_path, heading, body))
    return clauses
