"""Dated park pictures: the park's own staff (and admins) change its picture with a date, a source and a reason;
the page shows the history (who, when, what, why); matching as of a date uses the picture then in force."""
from datetime import date

from crm.matching import queries
from crm.matching.scoring import CompanyProfile


def _best_codes(text: str, day: date | None) -> list[str]:
    ranking = queries.parks_for_profile(CompanyProfile(main_business=text), 3, user=None, as_of=day)
    return [m.park.code for m in ranking.matches]


def test_park_staff_date_a_new_picture_and_matching_as_of_follows_it(login_as, seeded):
    assert "WULAN" not in _best_codes("驼奶乳制品加工", None)
    staff = login_as("park_staff", parks=["WULAN"])
    response = staff.post("/parks/WULAN/profile", data={
        "positioning": "推进煤基多联产项目和副产品精深加工，发展新型化工材料和驼奶等特色乳制品加工。",
        "industries": "煤化工及精细化工、化工工业、新材料产业、生物产业", "anchors": "某驼奶企业",
        "valid_from": "2022-01-01", "source": "乌兰县 2022 年政府工作报告", "reason": "驼奶加工项目落地"})
    assert response.status_code == 302
    page = staff.get("/parks/WULAN").get_data(as_text=True)
    assert "园区画像历史" in page and "2022-01-01" in page and "乌兰县 2022 年政府工作报告" in page
    assert "驼奶加工项目落地" in page and "某驼奶企业" in page and staff.user.name in page
    assert "自始" in page  # the seeded picture, in force from the beginning
    assert "WULAN" in _best_codes("驼奶乳制品加工", date(2023, 1, 1))
    assert "WULAN" not in _best_codes("驼奶乳制品加工", date(2021, 6, 1))


def test_only_admins_and_the_parks_own_staff_edit_it(login_as, seeded):
    other = login_as("park_staff", parks=["HUZHU"])
    assert other.post("/parks/WULAN/profile", data={"positioning": "x"}).status_code in (403, 404)
    assert login_as("manager").post("/parks/WULAN/profile", data={"positioning": "x"}).status_code == 403
    assert login_as("admin").post("/parks/WULAN/profile", data={"positioning": "煤基多联产"}).status_code == 302
