"""What every journey checks on every page: no script errors, no failed requests, charts drawn, no tofu."""
import re
from dataclasses import dataclass, field

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, Response

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Draws characters with the page's own font stack on a canvas: a character no installed font has is drawn
# as the same .notdef box as an unassigned code point, so identical pixels mean tofu. Also draws two
# different CJK characters, which must differ (with no CJK font at all, both are boxes).
# Emoji are left out: many intranet PCs, like CI, have no emoji font; a page should not rely on them.
TOFU_PROBE = """(selector) => {
  const root = document.querySelector(selector) || document.body;
  const family = getComputedStyle(root).fontFamily;
  const canvas = document.createElement('canvas');
  canvas.width = 40; canvas.height = 40;
  const ctx = canvas.getContext('2d');
  const draw = (ch) => {
    ctx.clearRect(0, 0, 40, 40);
    ctx.font = `28px ${family}`;
    ctx.fillText(ch, 4, 32);
    return Array.from(ctx.getImageData(0, 0, 40, 40).data).join(',');
  };
  const box = draw('\\u{10FFFD}');
  const emoji = /\\p{Extended_Pictographic}/u;
  const chars = [...new Set(Array.from(root.innerText))]
    .filter((c) => c.codePointAt(0) > 0x2000 && !emoji.test(c));
  const a = draw('招'), b = draw('商');
  return {cjk_distinct: a !== b && a !== box, checked: chars.length, tofu: chars.filter((c) => draw(c) === box)};
}"""

CHARTS_PROBE = """() => Array.from(document.querySelectorAll('[data-chart]')).filter((el) => el.checkVisibility())
  .map((el) => {
  const drawn = el.querySelector('canvas, svg');
  const box = drawn ? drawn.getBoundingClientRect() : {width: 0, height: 0};
  return {id: el.dataset.chart, drawn: !!drawn, width: box.width, height: box.height};
})"""


@dataclass
class Watch:
    """Collects console errors, uncaught exceptions, failed requests and error answers of one page."""

    page: Page
    problems: list[str] = field(default_factory=list)
    expected: list[tuple[int, re.Pattern]] = field(default_factory=list)

    def __post_init__(self):
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def expect_status(self, status: int, url_pattern: str) -> None:
        """Declare an error answer the journey provokes on purpose (e.g. 404 for another park's project)."""
        self.expected.append((status, re.compile(url_pattern)))

    def _console(self, message) -> None:
        url = message.location.get("url", "")
        if message.type == "error" and not self._is_expected_load_error(message.text, url):
            self.problems.append(f"console error: {message.text} at {url}")

    def _is_expected_load_error(self, text: str, url: str) -> bool:
        # Chrome logs "Failed to load resource: ... 404" for every error answer, expected ones included,
        # and for the favicon it asks for on its own where a page declares none (a JSON answer, say).
        if not text.startswith("Failed to load resource"):
            return False
        return url.endswith("/favicon.ico") or any(p.search(url) for _s, p in self.expected)

    def _failed(self, request) -> None:
        failure = request.failure or ""
        if "ERR_ABORTED" in failure:
            # The page cancelled it: a download, or a navigation that left before a script, the tab icon or a
            # card loaded after the page had arrived (more often on a loaded machine). An error answer of the
            # server still shows through _response, a refused connection as another failure.
            return
        self.problems.append(f"request failed: {request.method} {request.url} {failure}")

    def _response(self, response: Response) -> None:
        if response.status < 400:
            return
        if any(status == response.status and pattern.search(response.url) for status, pattern in self.expected):
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def assert_clean(self) -> None:
        assert not self.problems, "problems seen in the browser:\n" + "\n".join(self.problems)


def assert_charts_drawn(page: Page, minimum: int = 1) -> None:
    page.wait_for_function("() => Array.from(document.querySelectorAll('[data-chart]'))"
                           ".every((el) => !el.checkVisibility() || el.querySelector('canvas, svg'))", timeout=10_000)
    charts = page.evaluate(CHARTS_PROBE)
    assert len(charts) >= minimum, f"expected at least {minimum} visible chart(s) on {page.url}, found {charts}"
    empty = [c for c in charts if not (c["drawn"] and c["width"] > 0 and c["height"] > 0)]
    assert not empty, f"charts not drawn or of zero size on {page.url}: {empty}"


def assert_chinese_rendered(page: Page, selector: str = "body") -> None:
    """Chinese draws with a real font and no visible character of the page draws as a tofu box."""
    result = page.evaluate(TOFU_PROBE, selector)
    assert result["cjk_distinct"], f"Chinese text draws as tofu boxes on {page.url} (is fonts-noto-cjk installed?)"
    assert not result["tofu"], f"characters with no glyph (tofu) on {page.url}: {result['tofu']}"


def assert_fits_width(page: Page) -> None:
    """Nothing makes the whole page scroll sideways (tables scroll inside .table-responsive)."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the {page.viewport_size['width']}px screen"


def sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/home"))


def fill(scope, name: str, value: str) -> None:
    """Fill the field called `name` inside `scope` (a page or a form), whatever kind of input it is."""
    field = scope.locator(f"[name={name}]").first
    tag = field.evaluate("(el) => el.tagName.toLowerCase()")
    if tag == "select":
        try:
            field.select_option(label=value, timeout=2_000)
        except PlaywrightError:  # no option has that label: try it as the value
            field.select_option(value=value)
    else:
        field.fill(value)


def form_with(page: Page, field_name: str):
    """The form that holds a field of this name (pages often have several forms)."""
    return page.locator("form").filter(has=page.locator(f"[name={field_name}]")).first
