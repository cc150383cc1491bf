"""Policy rules as data (banned capacity, energy-intensive industries, eco-restricted regions) → warnings.

Pure: the rules come from seeds/policy_rules.yaml already parsed; no Flask, no database.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from crm.matching.text import normalise

# 吨标准煤/年 from which a company's stated energy use counts as high (a setting could override it).
HIGH_ENERGY_USE = 5000.0


class CitedWarning(str):
    """A warning's sentence that also names the policy clause it comes from (an anchor of the policy library)."""

    clause: str

    def __new__(cls, text: str, clause: str = ""):
        warning = super().__new__(cls, text)
        warning.clause = clause
        return warning

    def __reduce__(self):
        return CitedWarning, (str(self), self.clause)


@dataclass(frozen=True)
class Rule:
    kind: str  # "banned" or "energy"
    keywords: tuple[str, ...]
    reason: str
    province: str = ""
    except_regions: tuple[str, ...] = ()
    clause: str = ""  # the anchor of the clause the rule comes from (seeds/policies/clauses.yaml)

    def applies_to(self, region: str) -> bool:
        province = region.split("-")[0] if region else ""
        if self.province and province and self.province != province:
            return False
        return region not in self.except_regions


@dataclass(frozen=True)
class EcoRegion:
    name: str
    regions: tuple[str, ...]
    reason: str
    clause: str = ""


@dataclass(frozen=True)
class PolicyRules:
    rules: tuple[Rule, ...] = ()
    eco_regions: tuple[EcoRegion, ...] = ()
    high_energy_use: float = HIGH_ENERGY_USE
    eco_clause: str = ""  # the clause behind the warning for a park flagged as ecologically restricted


def rules_from_data(data: dict) -> PolicyRules:
    """Build rules from the parsed policy_rules.yaml mapping."""
    rules = [
        Rule(kind, tuple(normalise(k) for k in row.get("keywords") or []), row.get("reason", ""),
             row.get("province") or "", tuple(row.get("except_regions") or []), row.get("clause") or "")
        for kind, key in (("banned", "banned_capacity"), ("energy", "energy_intensive"))
        for row in data.get(key) or []
    ]
    eco = [EcoRegion(row.get("name", ""), tuple(row.get("regions") or []), row.get("reason", ""),
                     row.get("clause") or "")
           for row in data.get("eco_restricted_regions") or []]
    return PolicyRules(tuple(rules), tuple(eco), eco_clause=data.get("eco_red_line_clause") or "")


def _hits(rule: Rule, text: str, terms: Iterable[str]) -> list[str]:
    term_set = set(terms)
    return [k for k in rule.keywords if k in text or k in term_set]


def rule_warnings(text: str, terms: Iterable[str], region: str, rules: PolicyRules) -> tuple[list[str], bool]:
    """Warnings for a company's description where a park of `region` is concerned, and whether it is
    energy-intensive (used for the eco-region warning)."""
    text, terms = normalise(text), list(terms)
    warnings: list[str] = []
    energy = False
    for rule in rules.rules:
        if not rule.applies_to(region):
            continue
        hits = _hits(rule, text, terms)
        if not hits:
            continue
        words = "、".join(hits)
        if rule.kind == "banned":
            warnings.append(CitedWarning(f"禁止类产能（{words}）：{rule.reason}", rule.clause))
        else:
            energy = True
            warnings.append(CitedWarning(f"限制类高耗能产能（{words}）：{rule.reason}", rule.clause))
    return warnings, energy


def eco_warnings(park_name: str, region: str, eco_restricted: bool, rules: PolicyRules) -> list[str]:
    """Warnings for an energy-intensive project in a park inside an ecologically restricted region."""
    found = [r for r in rules.eco_regions if region and region in r.regions]
    if found:
        return [CitedWarning(f"{park_name} 位于生态限制区域（{r.name}），高耗能项目须审慎：{r.reason}", r.clause)
                for r in found]
    if eco_restricted:
        return [CitedWarning(f"{park_name} 位于生态限制区域，高耗能、高排放项目须审慎，生态红线优先", rules.eco_clause)]
    return []
