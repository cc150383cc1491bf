"""A clause's structured terms checked against a project's facts. Pure: plain data in, stated outcomes out.

Each outcome says the condition as the clause sets it, the project's own figure, whether it is met (None
when the project lacks the figure), and what the clause gives or asks for when it is.
"""
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

METRIC_LABELS = {"investment_intensity": "投资强度", "tax_per_mu": "亩均税收", "agreed_investment": "协议投资额",
                 "company_tier": "企业层级", "industry": "行业"}
MISSING = {"investment_intensity": "未填固定资产投资或用地面积", "tax_per_mu": "未填亩均税收",
           "agreed_investment": "未填协议投资额", "company_tier": "企业无层级记录", "industry": "未填行业"}
OP_SIGNS = {">": "＞", ">=": "≥", "<": "＜", "<=": "≤", "in": "属于"}


@dataclass(frozen=True)
class Facts:
    investment_intensity: Decimal | None = None  # 万元/亩
    tax_per_mu: Decimal | None = None  # 万元/亩
    agreed_investment: Decimal | None = None  # 万元
    tiers: tuple[str, ...] = ()
    industry: str = ""


@dataclass(frozen=True)
class Outcome:
    metric: str
    condition: str  # "投资强度 ＞ 500万元/亩"
    actual: str  # "620万元/亩"
    met: bool | None
    effect: str
    sentence: str  # "投资强度 620万元/亩 ＞ 500 → 可优先保障用地"


def _number(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _figure(value: Decimal, unit: str) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return f"{text}{unit}"


def _compare(actual: Decimal, op: str, bound: Decimal) -> bool:
    return {">": actual > bound, ">=": actual >= bound, "<": actual < bound, "<=": actual <= bound}[op]


def _numeric(term: dict, actual: Decimal | None) -> Outcome:
    metric, op, unit = term["metric"], term.get("op", ">="), term.get("unit", "")
    bound = _number(term.get("value"))
    label, sign, effect = METRIC_LABELS.get(metric, metric), OP_SIGNS.get(op, op), term.get("effect", "")
    condition = f"{label} {sign} {_figure(bound, unit) if bound is not None else term.get('value')}"
    if actual is None or bound is None or op not in (">", ">=", "<", "<="):
        return Outcome(metric, condition, MISSING.get(metric, "—"), None, effect,
                       f"{label}：{MISSING.get(metric, '—')}，无法判断 {sign} {term.get('value')}")
    met = _compare(actual, op, bound)
    shown = _figure(actual, unit)
    bound_text = _figure(bound, "")
    sentence = (f"{label} {shown} {sign} {bound_text} → {effect}" if met
                else f"{label} {shown}，未达 {sign} {bound_text}（{effect}）")
    return Outcome(metric, condition, shown, met, effect, sentence)


def _listed(term: dict, facts: Facts) -> Outcome:
    metric, wanted, effect = term["metric"], [str(v) for v in term.get("value") or []], term.get("effect", "")
    label = METRIC_LABELS.get(metric, metric)
    condition = f"{label} 属于 {'、'.join(wanted)}"
    if metric == "company_tier":
        have = [t for t in facts.tiers if t in wanted]
        actual = "、".join(facts.tiers)
    else:  # an industry qualifies when its name holds one of the clause's words ("新能源" in "新能源产业")
        have = [w for w in wanted if facts.industry and w in facts.industry]
        actual = facts.industry
    if not actual:
        return Outcome(metric, condition, MISSING[metric], None, effect, f"{label}：{MISSING[metric]}，无法判断")
    if have:
        return Outcome(metric, condition, actual, True, effect, f"{label} {actual} 属于 {'、'.join(have)} → {effect}")
    listed = "、".join(wanted)
    return Outcome(metric, condition, actual, False, effect, f"{label} {actual}，不属于 {listed}（{effect}）")


def evaluate(term: dict, facts: Facts) -> Outcome:
    if term.get("op") == "in":
        return _listed(term, facts)
    return _numeric(term, getattr(facts, term.get("metric", ""), None))


def intensity(fixed_asset_investment: Decimal | None, land_mu: Decimal | None) -> Decimal | None:
    """投资强度 = fixed-asset investment ÷ land (万元/亩); unknown without both, or with no land."""
    if fixed_asset_investment is None or not land_mu:
        return None
    return Decimal(fixed_asset_investment) / Decimal(land_mu)
