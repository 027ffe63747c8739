"""HTML of received messages: sanitised before anything shows it, and a plain-text view of it.

`sanitize` keeps what reading mail needs (text structure, tables, links) and drops everything that
runs code or reaches the network: scripts, styles, forms, frames, objects, event handlers, and any
remote resource. Images survive only with a `cid:` source (a part of the same message); `data:`
URLs are not kept, even for images — senders embed images as cid: parts, and a data: URL is one
more parser to trust. `style` attributes are dropped altogether (no url(), no expression()).
Links keep http, https and mailto only, with rel="noopener noreferrer".

Nesting is bounded too, because depth costs far more than size: 10,000 nested `<ul><li>` took nh3
0.9 s (its HTML5 tree builder looks through the open elements at each tag) and Qt 12 s to lay out,
Qt lays a nested table out twice per level (18 nested tables: 6 s; 32: minutes) and indents each
quote or list by 40 px (ten quotes deep, a line holds one letter). Past MAX_DEPTH elements,
MAX_TABLE_DEPTH nested tables, MAX_TABLES tables or MAX_INDENT quotes and lists, tags are dropped
and their text kept, with a line break where a block was. This is done before nh3, in one linear
pass that reads the HTML as HTML's own tokenizer does and writes every element out closed
explicitly, in order — so nh3's tree builder never sees a deep stack, nor elements to reopen in
every paragraph (22 KB of those made it write 7 MB) — and checked again on nh3's output, at C
speed, which is flattened the same way in the rare case it still goes past a limit (its builder
adds table rows).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import accumulate

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


_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip

# --- Nesting ----------------------------------------------------------------------------------

MAX_DEPTH = 64  # elements within elements
MAX_TABLE_DEPTH = 6  # tables within tables
MAX_TABLES = 100  # tables in a body: each costs Qt more the deeper it is
MAX_INDENT = 8  # quotes and lists within one another: Qt indents each by 40 px
_INDENTS = {"blockquote", "ol", "ul"}

_VOID = {
    "area", "base", "br", "col", "embed", "hr", "image", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
}  # fmt: skip
# Whose content is text to the HTML tokenizer, up to their own end tag (all dropped by nh3).
_RAW_TEXT = {
    "iframe", "noembed", "noframes", "noscript", "script", "style", "textarea", "title", "xmp",
}  # fmt: skip
# Levels a container needs below it before it holds text: kept only with room for them, so that
# the text of what is dropped lands in a cell or an item, never in a row.
_LEVELS_TO_TEXT = {"table": 3, "thead": 2, "tbody": 2, "tfoot": 2, "tr": 1, "ul": 1, "ol": 1}
# HTML's "has an element in scope" stops at these; so do the end tags and closes below.
_SCOPE = {"applet", "caption", "html", "marquee", "object", "table", "td", "template", "th"}
# Start tags that close an open <p> (HTML's "close a p element"), and elements that stop the
# search for an <li>, <dd> or <dt> to close (HTML's "special" ones but address, div and p).
_CLOSES_P = {
    "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol",
    "p", "plaintext", "pre", "search", "section", "summary", "table", "ul", "xmp",
}  # fmt: skip
_STOPS_ITEMS = {
    "applet", "article", "aside", "blockquote", "body", "button", "caption", "center", "colgroup",
    "details", "dir", "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "html", "iframe", "listing", "main",
    "marquee", "menu", "nav", "noembed", "noframes", "noscript", "object", "ol", "plaintext",
    "pre", "search", "section", "select", "summary", "table", "tbody", "td", "template",
    "textarea", "tfoot", "th", "thead", "title", "tr", "ul", "xmp",
}  # fmt: skip
_ITEMS = {"li": ("li",), "dd": ("dd", "dt"), "dt": ("dd", "dt")}
_SECTIONS = ("tbody", "thead", "tfoot")
_CELLS = {
    "td": ("td", "th"),
    "th": ("td", "th"),
    "tr": ("tr",),
    **dict.fromkeys(_SECTIONS, _SECTIONS),
}
# End tags looked for up to the innermost table only (HTML's "in table scope"), start tags that
# HTML ignores outside a table, and end tags that close their element whatever is above it.
_TABLE_PARTS = {"caption", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"}
_TABLE_SCOPED = _TABLE_PARTS | {"table"}
_UNSCOPED = {"select", "template"}
_BREAKS = _BLOCKS | {"td", "th"}

_IMPLIES = _CLOSES_P | _ITEMS.keys() | _CELLS.keys() | {"a"}
_KEPT, _STRIPPED, _FLAT = range(3)
_NONE: list[int] = []  # an empty stack of positions, never written to


class _Tree:
    """Elements as they open and close, written out with at most MAX_DEPTH kept levels: a tag
    past a limit is dropped with its descendants' tags (their text stays, a line break where a
    block was). End tags close what HTML would close (in scope) and are written for every kept
    element popped, in order; start tags close the open <p>, <li>, cell or row HTML would close.
    Tags outside `allowed` (None: all) are not written. Every lookup is a stack top, so the pass
    stays linear."""

    def __init__(self, allowed: set[str] | None, render: Callable[[str, str], str]) -> None:
        self.allowed = allowed
        self.render = render  # (tag, its attributes as read) → the start tag to write
        self.out: list[str] = []
        self.open: list[tuple[str, int]] = []  # (tag, mode)
        self.at: dict[str, list[int]] = {}  # tag → positions in `open`, innermost last
        self.scope: list[int] = []  # positions of the open _SCOPE elements
        self.stops: list[int] = []  # positions of the open _STOPS_ITEMS elements
        self.kept = 0  # kept elements open: the depth of the output
        self.flat_from: int | None = None  # the outermost open element dropped by a limit
        self.tables_open = 0
        self.indents_open = 0
        self.tables = 0
        self.broken = True  # the output ends with a line break (or is empty)

    def start(self, tag: str, attributes: str) -> None:
        if tag in _TABLE_PARTS and not self.at.get("table"):
            return  # a cell or a row outside any table: HTML ignores the tag
        if tag in _IMPLIES:
            self._implied_closes(tag)
        allowed = self.allowed
        if tag in _VOID:
            if allowed is None or tag in allowed:
                self.out.append(self.render(tag, attributes))
                self.broken = tag == "br"
            return
        if allowed is not None and tag not in allowed:
            mode = _STRIPPED
        elif self.flat_from is not None or not self._room(tag):
            mode = _FLAT
        else:
            mode = _KEPT
        position = len(self.open)
        self.open.append((tag, mode))
        positions = self.at.get(tag)
        if positions is None:
            self.at[tag] = [position]
        else:
            positions.append(position)
        if tag in _SCOPE:
            self.scope.append(position)
        if tag in _STOPS_ITEMS:
            self.stops.append(position)
        if mode == _KEPT:
            self.kept += 1
            if tag == "table":
                self.tables_open += 1
                self.tables += 1
            elif tag in _INDENTS:
                self.indents_open += 1
            self.out.append(self.render(tag, attributes))
            self.broken = False
        elif mode == _FLAT:
            if self.flat_from is None:
                self.flat_from = position
            self._break(tag)

    def end(self, tag: str) -> None:
        positions = self.at.get(tag)
        if not positions:
            return  # nothing open by that name: HTML ignores it too
        target = positions[-1]
        if target != len(self.open) - 1:  # the current element is always in scope
            if tag in _TABLE_SCOPED:
                blocked = self._above(target, self.at.get("table", _NONE))
            elif tag == "p":
                blocked = self._above(target, self.scope, self.at.get("button", _NONE))
            elif tag == "li":
                ul, ol = self.at.get("ul", _NONE), self.at.get("ol", _NONE)
                blocked = self._above(target, self.scope, ul, ol)
            elif tag in _UNSCOPED:
                blocked = False
            else:
                blocked = self._above(target, self.scope)
            if blocked:
                return  # not in scope: HTML ignores it
        self._pop_to(target)

    def text(self, escaped: str) -> None:
        self.out.append(escaped)
        if self.broken and not escaped.isspace():
            self.broken = False

    def result(self) -> str:
        self._pop_to(0)
        return "".join(self.out)

    def _implied_closes(self, tag: str) -> None:
        at = self.at
        if tag in _CLOSES_P:
            self._close(at.get("p"), self.scope, at.get("button", _NONE))
        if tag in _ITEMS:
            names = _ITEMS[tag]
            others = [at.get(t, _NONE) for t in ("li", "dd", "dt") if t not in names]
            self._close(self._innermost(names), self.stops, *others)
        elif tag in _CELLS:
            self._close(self._innermost(_CELLS[tag]), at.get("table", _NONE))
        elif tag == "a":
            self._close(at.get("a"), self.scope)

    def _innermost(self, tags: tuple[str, ...]) -> list[int] | None:
        found = [p for t in tags if (p := self.at.get(t))]
        return max(found, key=lambda p: p[-1]) if found else None

    def _close(self, positions: list[int] | None, *bounds: list[int]) -> None:
        """Pops to the innermost of `positions` unless an element of `bounds` is above it."""
        if positions and not self._above(positions[-1], *bounds):
            self._pop_to(positions[-1])

    @staticmethod
    def _above(target: int, *bounds: list[int]) -> bool:
        return any(b and b[-1] > target for b in bounds)

    def _room(self, tag: str) -> bool:
        if self.kept + 1 + _LEVELS_TO_TEXT.get(tag, 0) > MAX_DEPTH:
            return False
        if tag in _INDENTS:
            return self.indents_open < MAX_INDENT
        return tag != "table" or (self.tables_open < MAX_TABLE_DEPTH and self.tables < MAX_TABLES)

    def _pop_to(self, position: int) -> None:
        open_, at, out = self.open, self.at, self.out
        while len(open_) > position:
            tag, mode = open_.pop()
            at[tag].pop()
            if tag in _SCOPE:
                self.scope.pop()
            if tag in _STOPS_ITEMS:
                self.stops.pop()
            if mode == _KEPT:
                self.kept -= 1
                if tag == "table":
                    self.tables_open -= 1
                elif tag in _INDENTS:
                    self.indents_open -= 1
                out.append(f"</{tag}>")
                self.broken = False
            elif mode == _FLAT:
                if self.flat_from == len(open_):
                    self.flat_from = None
                self._break(tag)

    def _break(self, tag: str) -> None:
        if tag in _BREAKS and not self.broken:
            self.out.append("<br>")
            self.broken = True


_ATTRIBUTE_NAMES = set().union(*_ATTRIBUTES.values())
# HTML's tokenizer (WHATWG HTML §13.2.5) as far as the tree needs it: a tag, whose attribute values
# in quotes (only right after "=") may hold ">"; a comment; "<!", "<?" or "</" without a letter
# up to ">". Each alternative runs to its end or to the end of the input (possessive quantifiers:
# no backtracking), so searching token after token stays linear whatever the input.
_TOKEN = re.compile(
    r"""<(/?)([a-zA-Z][^\t\n\f\r />]*+)((?:[^>=]++|=[\t\n\f\r ]*+(?:"[^"]*+"|'[^']*+')?+)*+)(>?)"""
    r"""|<!--(?:-?>|.*?(?:--!?>|\Z))"""
    r"""|<[!?/][^>]*+>?""",
    re.DOTALL,
)
_ATTRIBUTE = re.compile(
    r"""([^\t\n\f\r />=][^\t\n\f\r />=]*+)"""
    r"""(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:"([^"]*+)"|'([^']*+)'|([^\t\n\f\r >]*+)))?+"""
)
# What nh3 gets: the tags it keeps, and those it drops with their content (it knows their rules
# best), but for the raw-text ones, whose content is skipped here already.
_WRITTEN = _TAGS | (_DROP_WITH_CONTENT - _RAW_TEXT)
_RAW_TEXT_END: dict[str, re.Pattern[str]] = {
    name: re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE) for name in _RAW_TEXT
}


def _markup(name: str, attributes: str) -> str:
    """A start tag written anew: only the attributes nh3 may keep, their value in double quotes
    (entities left as the sender wrote them, for the same meaning)."""
    kept = []
    for match in _ATTRIBUTE.finditer(attributes):
        attribute = match.group(1).lower()
        if attribute in _ATTRIBUTE_NAMES:
            value = next((v for v in match.groups()[1:] if v is not None), "")
            value = value.replace('"', "&quot;")
            kept.append(f' {attribute}="{value}"')
    return f"<{name}{''.join(kept)}>"


def _read_source(source: str, tree: _Tree) -> None:
    """Any HTML into `tree`: its tags and its text (entities as they are), nothing else."""
    at = 0
    while token := _TOKEN.search(source, at):
        if token.start() > at:  # text, with any "<" that opens nothing
            tree.text(source[at : token.start()].replace("<", "&lt;"))
        at = token.end()
        closing, name, attributes, ends = token.groups()
        if name is None:
            continue  # a comment, a doctype…
        if not ends:
            return  # a tag open to the end: HTML drops it and all that follows
        name = name.lower()
        if closing:
            tree.end(name)
            continue
        tree.start(name, attributes)
        if name in _RAW_TEXT:  # text up to its end tag, that nh3 would drop with it
            found = _RAW_TEXT_END[name].search(source, at)
            end_tag = _TOKEN.match(source, found.start()) if found is not None else None
            if end_tag is None or not end_tag.group(4):
                return
            at = end_tag.end()
            tree.end(name)
    if at < len(source):
        tree.text(source[at:].replace("<", "&lt;"))


# nh3's output: every "<" opens a tag (text and attribute values have theirs escaped), every
# element but the void ones is closed. Its nesting is then counted at C speed, no tree needed.
_OUTPUT_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)([^>]*)>")
_OUTPUT_LEVEL = re.compile(r"<(/?)(?!(?:br|col|hr|img)\b)[a-z]")
_OUTPUT_TABLE = re.compile(r"<(/?)table\b")
_OUTPUT_INDENT = re.compile(r"<(/?)(?:blockquote|ol|ul)\b")
_STEP = {"": 1, "/": -1}


def _nesting(marks: list[str]) -> int:
    return max(accumulate(map(_STEP.__getitem__, marks)), default=0)


def _within_limits(cleaned: str) -> bool:
    depth = _nesting(_OUTPUT_LEVEL.findall(cleaned))
    if depth <= _LEVELS_TO_TEXT["table"]:
        return True  # not even room for one table's levels: fewer tables than that
    tables = _OUTPUT_TABLE.findall(cleaned)
    return (
        depth <= MAX_DEPTH
        and _nesting(tables) <= MAX_TABLE_DEPTH
        and tables.count("") <= MAX_TABLES
        and _nesting(_OUTPUT_INDENT.findall(cleaned)) <= MAX_INDENT
    )


def _bounded(cleaned: str) -> str:
    """nh3's output within the limits: its tree builder adds rows and sections of its own."""
    if _within_limits(cleaned):
        return cleaned
    tree = _Tree(None, lambda tag, attributes: f"<{tag}{attributes}>")
    last = 0
    for match in _OUTPUT_TAG.finditer(cleaned):
        if match.start() > last:
            tree.text(cleaned[last : match.start()])
        last = match.end()
        if match.group(1):
            tree.end(match.group(2))
        else:
            tree.start(match.group(2), match.group(3))
    tree.text(cleaned[last:])
    return tree.result()


def sanitize(source: str) -> str:
    """HTML safe to show in a viewer that must not run code nor fetch anything, nesting bounded."""
    tree = _Tree(_WRITTEN, _markup)
    _read_source(source, tree)
    return _bounded(_CLEANER.clean(tree.result()))


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


# An address starts where its run of name characters does (else a 200 KB word took minutes:
# every position of it was a start to try).
_LINK = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+)|(?P<mail>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)",
    re.IGNORECASE,
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
    return _CLEANER.clean("\n".join(blocks))  # flat by construction: <p>, <br>, <a>


# --- What the reader lays out -------------------------------------------------------------------

MAX_SHOWN = 200_000  # characters of a body given to the viewer: Qt lays out ~0.5 ms per KB
LONG_RUN = 1_000  # characters without a space after which a break is offered
# A tag, kept as it is, or a run of at least LONG_RUN characters of text without a space (an
# entity counts as one), looked for only where a run starts: linear.
_RUN = re.compile(rf"<[^>]*+>|(?<![^\s>])(?:&#?[a-zA-Z0-9]+;|[^\s<&]){{{LONG_RUN},}}+")
_PIECE = re.compile(rf"(?:&#?[a-zA-Z0-9]+;|[^&]){{{LONG_RUN}}}")


@dataclass(frozen=True)
class Viewable:
    html: str  # sanitised, nesting bounded, at most about MAX_SHOWN characters
    truncated: bool  # the body goes on past what `html` shows


def viewable(html_body: str | None, text_body: str) -> Viewable:
    """A body as the reader shows it: its HTML sanitised, else its text as HTML; only its first
    MAX_SHOWN characters (a 5 MB text took Qt seconds; the rest is reached through `full_text`),
    with a zero-width break offered in every run of LONG_RUN characters without a space (Qt
    searches a whole word for a break at each line: a 64 KB one took 0.5 s, 5 MB minutes)."""
    if html_body:
        shown, whole = sanitize(html_body[:MAX_SHOWN]), len(html_body)
    else:
        cut = text_body[:MAX_SHOWN]
        if len(text_body) > MAX_SHOWN and cut.rfind("\n") > MAX_SHOWN // 2:
            cut = cut[: cut.rfind("\n")]  # at the end of a line
        shown, whole = text_to_html(cut), len(text_body)
    return Viewable(_RUN.sub(_offer_break, shown), whole > MAX_SHOWN)


def _offer_break(match: re.Match[str]) -> str:
    run = match.group(0)
    if run.startswith("<"):
        return run
    return _PIECE.sub("\\g<0>\u200b", run).removesuffix("\u200b")


def full_text(html_body: str | None, text_body: str | None) -> str:
    """The whole of a body as plain text (what `viewable` may leave out): the text the sender
    wrote, else the text of the HTML."""
    return text_body or to_text(html_body or "")
