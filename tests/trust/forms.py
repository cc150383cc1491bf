"""Field names of the HTML forms the app renders, keyed by the path each form posts to."""
from html.parser import HTMLParser
from urllib.parse import urlsplit


class _FormParser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.forms: dict[str, dict[str, str]] = {}  # action path -> {field name: input type}
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = urlsplit(attrs.get("action") or self.page_path).path or self.page_path
            if (attrs.get("method") or "get").lower() == "post":
                self._current = self.forms.setdefault(action, {})
            else:
                self._current = None
        elif tag in ("input", "select", "textarea") and self._current is not None and attrs.get("name"):
            kind = (attrs.get("type") or tag).lower()
            if attrs["name"] != "csrf_token" and kind not in ("submit", "button", "reset"):
                self._current[attrs["name"]] = kind

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def post_forms(html: str, page_path: str) -> dict[str, dict[str, str]]:
    parser = _FormParser(page_path)
    parser.feed(html)
    return parser.forms
