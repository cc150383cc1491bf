"""The drill-down list says in words which projects it lists."""


def test_the_drilldown_caption_reads_as_a_sentence(seeded, login_as):
    page = login_as("manager").get("/dashboard/projects?metric=signed&park=NANCHUAN&from=2025-01-01&to=2025-12-31")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "签约日期 2025-01-01 至 2025-12-31" in html
    assert "园区 " in html and "NANCHUAN" not in html.split("<tbody>")[0].split("</h1>")[1]
    assert "from=" not in html.split("</h1>")[1].split("</p>")[0]
