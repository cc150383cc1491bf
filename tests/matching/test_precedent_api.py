"""Precedent through the API, as a user would enter it: a monocrystalline-ingot maker's project at 南川 moved to
开工; a second, near-identical company then gets 南川 among its first three parks, with a reason naming the
earlier project, straight away (no reindex command)."""


def _move(api, project_id: int, to: str, **facts) -> None:
    response = api.post(f"/api/v1/projects/{project_id}/transitions", json={"to": to, **facts})
    assert response.status_code == 201, response.get_json()


def _company(api, name: str) -> int:
    created = api.post("/api/v1/companies", json={"name": name, "industry": "光伏制造(单晶硅棒)"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["industry"] == "光伏制造(单晶硅棒)"  # the industry as written is kept and returned
    return body["id"]


def _parks(api, company_id: int) -> list[dict]:
    response = api.get(f"/api/v1/match/parks?company={company_id}&top=3")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_a_started_project_is_precedent_for_the_next_similar_company(api_as, seeded):
    manager = api_as("manager")
    second = _company(manager, "乙光伏材料有限公司")
    before = _parks(manager, second)
    assert "NANCHUAN" not in [item["park_code"] for item in before]  # the 2013 positioning alone says 东川

    first = _company(manager, "甲硅业科技有限公司")
    created = manager.post("/api/v1/projects", json={"name": "年产30GW单晶拉棒生产项目", "company_id": first,
                                                      "park": "NANCHUAN", "agreed_investment": "1000000"})
    assert created.status_code == 201, created.get_json()
    project_id = created.get_json()["id"]
    _move(manager, project_id, "negotiating", date="2022-01-05")
    _move(manager, project_id, "signed", date="2022-02-20", agreed_investment="1000000")
    _move(manager, project_id, "preparing", date="2022-03-01")
    _move(manager, project_id, "started", date="2022-03-26")

    after = _parks(manager, second)
    codes = [item["park_code"] for item in after]
    assert "NANCHUAN" in codes, after
    nanchuan = after[codes.index("NANCHUAN")]
    assert "同类项目已在该园区落地：年产30GW单晶拉棒生产项目（2022年开工）" in nanchuan["reasons"]
    assert nanchuan["park_label"] == "西宁南川工业园区（西宁经济技术开发区）" and not nanchuan["weak"]
