"""HTML an editor pasted, reduced to the plain text drafts point into.

A small ``html.parser`` walk rather than trafilatura: the editor pastes one
article, not a crawled page, so boilerplate detection has little to find, and
trafilatura would add lxml, htmldate, courlan and justext to the runtime for it.
Blocks (headings, paragraphs, list items, line breaks) become lines, so the
headings still give locators; script, style, nav, header, footer, aside, form
and figure captions are dropped; entities are decoded. The stored article text
is the result, and every span refers to it.
"""

import re
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "tr",
    "br",
    "ul",
    "ol",
}
SKIPPED = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "figcaption",
    "iframe",
    "svg",
}
LOOKS_LIKE_HTML = re.compile(r"<\s*(?:p|div|h[1-6]|br|li|article|section|span|a|html|body)\b[^>]*>", re.I)


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
            if tag == "li":
                self.parts.append("  • ")

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def is_html(text: str) -> bool:
    return bool(LOOKS_LIKE_HTML.search(text))


def html_to_text(html: str) -> str:
    """Plain text of ``html``: one block per paragraph, blank lines between, no markup."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [
        line.strip() if not line.lstrip().startswith("•") else "  " + line.strip()
        for line in "".join(parser.parts).split("\n")
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
