"""HTML of received messages: sanitised before anything shows it, and a plain-text view of it.

`sanitize` keeps what reading mail needs (text structure, tables, links) and drops everything that
runs code or reaches the network: scripts, styles, forms, frames, objects, event handlers, and any
remote resource. Images survive only with a `cid:` source (a part of the same message); `data:`
URLs are not kept, even for images — senders embed images as cid: parts, and a data: URL is one
more parser to trust. `style` attributes are dropped altogether (no url(), no expression()).
Links keep http, https and mailto only, with rel="noopener noreferrer".
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

_TAGS = {
    "a", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "div", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
# Removed with everything inside them (not just the tags).
_DROP_WITH_CONTENT = {
    "script", "style", "template", "noscript", "title", "textarea", "select", "option",
    "iframe", "object", "embed", "svg", "math", "frameset", "noembed", "noframes", "xmp",
    "applet",
}  # fmt: skip
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
    "*": {"dir", "lang"},
}
_LINK_SCHEMES = ("http:", "https:", "mailto:")
_REMOTE = re.compile(r"(?i)(?:[a-z][a-z0-9+.-]*:)?//")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    """Second gate after nh3's own URL checks: only cid: images, only web and mail links, and
    no text attribute carrying an address (a remote URL anywhere is refused)."""
    compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
    if tag == "img" and attribute == "src":
        return value if compact.startswith("cid:") else None
    if tag == "a" and attribute == "href":
        return value if compact.startswith(_LINK_SCHEMES) else None
    if _REMOTE.search(compact) or "javascript:" in compact or "data:" in compact:
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=_TAGS,
    clean_content_tags=_DROP_WITH_CONTENT,
    attributes=_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    strip_comments=True,
    link_rel="noopener noreferrer",
    url_schemes={"http", "https", "mailto", "cid"},
    url_relative="deny",
)


def sanitize(source: str) -> str:
    """HTML safe to show in a viewer that must not run code nor fetch anything."""
    return _CLEANER.clean(source)


_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_INVISIBLE = {"script", "style", "head", "title", "template", "noscript", "svg", "math"}


class _TextExtractor(HTMLParser):
    """Text with line breaks where blocks end; invisible parts skipped. Streams, so nesting depth
    does not matter."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self.hidden += 1
        elif tag == "pre":
            self.pre += 1
        if tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in _BLOCKS and tag != "li":  # the next item starts its own line
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data if self.pre else re.sub(r"[ \t\r\n\f]+", " ", data))


def to_text(source: str) -> str:
    """Plain text of an HTML body, for previews and the full-text index."""
    extractor = _TextExtractor()
    extractor.feed(source)
    extractor.close()
    text = "".join(extractor.parts).replace("\xa0", " ")
    lines = [line.strip(" ") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


_LINK = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)|(?P<mail>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", re.IGNORECASE
)
_TRAILING = ".,;:!?)]}»'\""


def _linkify(line: str) -> str:
    out: list[str] = []
    last = 0
    for match in _LINK.finditer(line):
        raw = match.group(0)
        kept = raw.rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(kept)
        out.append(html.escape(line[last:start]))
        if match.group("mail"):
            href = "mailto:" + kept
        else:
            href = kept if kept.lower().startswith("http") else "https://" + kept
        out.append(f'<a href="{html.escape(href)}">{html.escape(kept)}</a>')
        last = end
    out.append(html.escape(line[last:]))
    return "".join(out)


def text_to_html(text: str) -> str:
    """A plain-text body as HTML: escaped, links made clickable, blank lines as paragraphs."""
    paragraphs = re.split(r"\n[ \t]*\n+", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    blocks = [
        "<p>" + "<br>".join(_linkify(line) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    ]
    return sanitize("\n".join(blocks))
