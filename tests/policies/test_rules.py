"""Rules in seeds/ cite the clauses they come from, and every warning shown links to its clause."""
import re
from pathlib import Path

import yaml

from crm.matching.rules import rule_warnings, rules_from_data
from crm.policies.models import PolicyDocument
from crm.policies.queries import anchored_clauses
from tests import factories

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _rules() -> dict:
    return yaml.safe_load((SEEDS / "policy_rules.yaml").read_text(encoding="utf-8"))


def test_every_admission_and_energy_rule_cites_a_clause_of_its_document(seeded):
    anchors = anchored_clauses()
    data = _rules()
    rows = [*data["banned_capacity"], *data["energy_intensive"], *data["eco_restricted_regions"]]
    for row in rows:
        clause = anchors.get(row.get("clause"))
        assert clause is not None, row
        if row.get("source"):
            assert clause.document.key == row["source"], row
    assert anchors.get(data["eco_red_line_clause"]) is not None


def test_targets_and_land_thresholds_cite_their_clauses(seeded):
    anchors = anchored_clauses()
    land = anchors["land_priority_002"]
    assert "500万元/亩" in land.text and {t["value"] for t in land.terms} == {"500", "30"}
    assert "320万元/亩" in anchors["park_intensity_target_002"].text
    assert "力争每年招引20个10亿元以上工业项目" in anchors["targets_004"].text
    assert anchors["targets_004"].heading == "强化考核督导"


def test_each_rule_warning_names_its_clause():
    rules = rules_from_data(_rules())
    cases = [("承接淘汰落后产能设备", "QH-XN"), ("电石项目", "NM-BT"), ("低水平引进的产能", "NM-BT"),
             ("高耗能高排放冶炼", "QH-XN"), ("水泥熟料生产", "QH-XN")]
    for text, region in cases:
        warnings, _energy = rule_warnings(text, [], region, rules)
        assert warnings, text
        assert all(getattr(w, "clause", "") for w in warnings), (text, warnings)


def test_every_warning_on_the_matching_page_links_to_its_clause(seeded, login_as):
    company = factories.company("政策预警测试有限公司", main_business="高耗能电解铝、水泥熟料生产，承接淘汰落后产能")
    seeded.session.commit()
    page = login_as("officer").get(f"/matching/companies/{company.id}").get_data(as_text=True)
    warnings = re.findall(r'<div class="alert alert-warning[^"]*">(.*?)</div>', page, flags=re.S)
    assert warnings
    policy_warnings = [w for w in warnings if "禁止类" in w or "限制类" in w or "生态" in w]
    assert policy_warnings and all('href="/policies/clause/' in w for w in policy_warnings)
    target = re.search(r'href="(/policies/clause/[^"]+)"', policy_warnings[0]).group(1)
    assert login_as("officer").get(target).status_code == 302


def test_a_warning_whose_clause_is_expired_says_so(seeded, login_as):
    seeded.session.query(PolicyDocument).filter_by(key="000").one().status = "repealed"
    company = factories.company("政策预警测试二有限公司", main_business="承接淘汰落后产能的设备")
    seeded.session.commit()
    page = login_as("officer").get(f"/matching/companies/{company.id}").get_data(as_text=True)
    assert "所据条款已失效" in page


def test_the_match_api_gives_each_warning_its_clause(seeded, api_as):
    company = factories.company("政策预警测试三有限公司", main_business="高耗能电解铝冶炼")
    seeded.session.commit()
    body = api_as("officer").get(f"/api/v1/match/parks?company={company.id}").get_json()
    cited = [c for item in body["items"] for c in item["warning_clauses"]]
    assert cited and all(c["clause"] and c["url"].startswith("/policies/clause/") for c in cited)
