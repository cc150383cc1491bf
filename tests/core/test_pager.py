"""Numbered pagination: the page count, numbered links with gaps, a jump box; keyset paging kept for 下一页."""
import re

from crm.core.pagination import Page
from tests import factories as f


def test_numbers_show_the_ends_and_the_pages_around_this_one():
    assert Page([], 1000, False, 10, 50).numbers() == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert Page([], 1000, False, 4, 50).numbers() == [1, 2, 3, 4, 5, 6, None, 20]  # no gap of a single page
    assert Page([], 10, False, 1, 50).numbers() == [1]


def test_a_long_list_shows_numbered_pages_a_count_and_a_jump_box(seeded, login_as):
    for i in range(130):
        f.company(f"分页测试{i:03d}有限公司")
    seeded.session.commit()
    client = login_as("manager")
    html = client.get("/companies/?sort=created&q=分页测试").get_data(as_text=True)
    pager = re.search(r"<nav[^>]*data-pager.*?</nav>", html, re.S).group(0)
    assert "共 130 条，第 1 / 3 页" in pager
    assert re.findall(r'class="page-link" href="[^"]*page=(\d)"', pager) == ["2", "3"]
    assert "after=" in re.search(r'rel="next" href="([^"]+)"', pager).group(1)  # 下一页 reads on by keyset
    assert re.search(r'<input[^>]+name="page"[^>]+max="3"', pager) and 'name="q" value="分页测试"' in pager
    third = client.get("/companies/?sort=created&q=分页测试&page=3").get_data(as_text=True)  # the jump box's GET
    assert "第 3 / 3 页" in third and "分页测试000有限公司" in third and "分页测试129有限公司" not in third
