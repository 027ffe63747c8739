"""HTML of received mail: a hostile corpus comes out harmless, reading structure survives, and the
plain-text conversions behave."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.message.html import (
    _CLEANER as nh3_only_cleaner,
)
from app.message.html import (
    LONG_RUN,
    MAX_DEPTH,
    MAX_INDENT,
    MAX_SHOWN,
    MAX_TABLE_DEPTH,
    MAX_TABLES,
    full_text,
    sanitize,
    text_to_html,
    to_text,
    viewable,
)
from tests.app.html_corpus import DEEP, HOSTILE

nh3_only = nh3_only_cleaner.clean  # the sanitiser's policy without the nesting bounds

_REMOTE_VALUE = re.compile(r"(?i)(?:https?:|ftp:|^\s*//|url\()")
_FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "input", "base", "meta", "svg",
    "frame", "frameset", "link", "video", "audio", "button", "textarea", "select", "math",
}  # fmt: skip


class _Elements(HTMLParser):
    """What a browser's parser sees in the output: every element and its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def _harmless(output: str) -> None:
    lowered = output.lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    parser = _Elements()
    parser.feed(output)
    parser.close()
    for tag, attrs in parser.found:
        assert tag not in _FORBIDDEN_TAGS, tag
        for name, raw in attrs:
            value = re.sub(r"[\s\x00-\x1f]", "", raw or "").lower()
            assert not name.startswith("on"), name
            assert name not in ("style", "srcset", "background", "poster", "formaction"), name
            assert "javascript:" not in value, (name, value)
            assert "vbscript:" not in value, (name, value)
            assert "data:" not in value, (name, value)
            if name == "href":
                assert value.startswith(("http://", "https://", "mailto:")), value
                continue  # a link the user may click; nothing loads it by itself
            assert not _REMOTE_VALUE.search(value), (name, value)
            if name == "src":
                assert tag == "img", tag
                assert value.startswith("cid:"), value


@pytest.mark.parametrize("source", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_corpus_comes_out_harmless(source: str) -> None:
    output = sanitize(source)
    _harmless(output)
    assert "javascript:" not in output.lower()
    # Sanitising twice changes nothing more: the output is stable (no mutation on re-parse).
    assert sanitize(output) == output


class _Nesting(HTMLParser):
    """Depth of a sanitised body as a browser builds it (sanitize closes every element)."""

    VOID = frozenset({"br", "col", "hr", "img"})

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.depth = self.table_depth = self.tables = self.indent = 0
        self.text_in: list[tuple[str, str | None]] = []  # (text, innermost element)
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        self.open.append(tag)
        self.depth = max(self.depth, len(self.open))
        self.tables += tag == "table"
        self.table_depth = max(self.table_depth, self.open.count("table"))
        self.indent = max(self.indent, sum(t in ("blockquote", "ol", "ul") for t in self.open))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID:
            assert self.open.pop() == tag  # well formed: what Qt gets is unambiguous

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.text_in.append((data, self.open[-1] if self.open else None))


@pytest.mark.parametrize("name", DEEP)
def test_deep_nesting_is_flattened_past_the_limits_and_its_text_kept(name: str) -> None:
    output = sanitize(DEEP[name])
    nesting = _Nesting(output)
    assert 0 < nesting.depth <= MAX_DEPTH
    assert nesting.table_depth <= MAX_TABLE_DEPTH
    assert nesting.indent <= MAX_INDENT
    assert "profond" in to_text(output)
    assert len(output) < 2 * len(DEEP[name])  # nothing multiplied on the way
    assert sanitize(output) == output
    _harmless(output)


def test_nesting_within_the_limits_is_kept_as_it_is() -> None:
    source = "<div>" * (MAX_DEPTH - 1) + "<p>fond</p>" + "</div>" * (MAX_DEPTH - 1)
    output = sanitize(source)
    assert output == source
    assert _Nesting(output).depth == MAX_DEPTH


def test_text_of_flattened_blocks_keeps_its_lines_and_lands_in_a_kept_block() -> None:
    source = "<div>" * (MAX_DEPTH + 10) + "<p>un</p><p>deux</p><ul><li>trois</li></ul>"
    output = sanitize(source)
    assert "un<br>deux<br>trois" in output
    assert to_text(output) == "un\ndeux\ntrois"
    assert {inner for _, inner in _Nesting(output).text_in} == {"div"}


def test_a_table_or_list_is_kept_only_with_room_for_its_cells_or_items() -> None:
    """At the depth limit a table (or a list) whose cells would fall past it is dropped whole:
    its text then lands in the enclosing block, never alone in a row."""
    for inner in ("<table><tr><td>cellule</td></tr></table>", "<ul><li>item</li></ul>"):
        for depth in range(MAX_DEPTH - 4, MAX_DEPTH + 1):
            output = sanitize("<div>" * depth + inner + "</div>" * depth)
            nesting = _Nesting(output)
            assert nesting.depth <= MAX_DEPTH
            [(text, holder)] = nesting.text_in
            assert text in ("cellule", "item")
            assert holder in ("td", "li", "div"), (inner, depth, output)


def test_tables_nested_past_the_limit_flow_into_their_cell() -> None:
    source = "cellule 0"
    for level in range(1, 11):
        source = f"<table><tr><td>cellule {level}</td><td>{source}</td></tr></table>"
    nesting = _Nesting(sanitize(source))
    assert nesting.table_depth == MAX_TABLE_DEPTH
    assert sorted(text for text, _ in nesting.text_in) == sorted(f"cellule {n}" for n in range(11))
    assert {holder for _, holder in nesting.text_in} == {"td"}


def test_quotes_past_max_indent_keep_their_text_on_their_own_lines() -> None:
    """Each reply quoting the one before: past MAX_INDENT quotes Qt would leave no width."""
    thread = "".join(f"<div><p>Réponse {n}</p><blockquote>" for n in range(20)) + "Origine"
    output = sanitize(thread)
    assert _Nesting(output).indent == MAX_INDENT
    lines = [line for line in to_text(output).split("\n") if line]
    assert lines == [f"Réponse {n}" for n in range(20)] + ["Origine"]


def test_past_max_tables_the_next_ones_are_flattened() -> None:
    source = "".join(f"<table><tr><td>t{n}</td><td>u{n}</td></tr></table>" for n in range(150))
    output = sanitize(source)
    assert _Nesting(output).tables == MAX_TABLES
    text = to_text(output)
    assert all(f"t{n}" in text and f"u{n}" in text for n in range(150))


def test_html_closes_what_it_implies_and_ignores_end_tags_out_of_scope() -> None:
    """Elements are written closed, where HTML would close them: unclosed paragraphs, items and
    cells stay siblings (not 64 levels deep), and an end tag that HTML ignores (a </div> inside a
    cell of a table inside that div) does not close the table early."""
    source = (
        "<p>un<p>deux<ul><li>a<li>b</ul><table><tr><td>1<td>2<tr><td>3</table>"
        "<div><table><tr><td>c</div>d</td><td>e</td></tr></table>f</div>g"
    )
    assert sanitize(source) == (
        "<p>un</p><p>deux</p><ul><li>a</li><li>b</li></ul><table><tbody><tr><td>1</td>"
        "<td>2</td></tr><tr><td>3</td></tr></tbody></table><div><table><tbody><tr><td>cd</td>"
        "<td>e</td></tr></tbody></table>f</div>g"
    )
    many = "<p>paragraphe" * 500 + "<ul>" + "<li>item" * 500 + "</ul>"
    output = sanitize(many)
    assert _Nesting(output).depth == 2
    assert output.count("<p>") == 500
    assert output.count("<li>") == 500


_soup = st.sampled_from(
    ["<div>", "</div>", "<table>", "</table>", "<tr>", "<td>", "</td>", "<ul>", "<ol>", "<li>",
     "</li>", "<b>", "</b>", "<p>", "</p>", "<blockquote>", "<!--", "-->", "<i>", "</ul>",
     "<caption>", "<span>", "</span>", "<thead>", "<a href='https://e.example'>", "</a>", "mot"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_soup, max_size=600).map("".join))
def test_random_nesting_stays_within_the_limits_and_keeps_its_text(source: str) -> None:
    output = sanitize(source)
    nesting = _Nesting(output)
    assert nesting.depth <= MAX_DEPTH
    assert nesting.table_depth <= MAX_TABLE_DEPTH
    assert nesting.tables <= MAX_TABLES
    assert nesting.indent <= MAX_INDENT
    assert output.count("mot") == nh3_only(source).count("mot")  # the text nh3 keeps, kept
    _harmless(output)


def test_reading_structure_survives() -> None:
    source = (
        "<h1>Titre</h1><p>Bonjour <b>Docteur</b>, <i>voici</i> <u>le</u> <strong>CR</strong>."
        "</p><ul><li>un</li></ul><ol><li>deux</li></ol><blockquote>cité</blockquote>"
        "<pre>  code  </pre><table><thead><tr><th>A</th></tr></thead><tbody><tr><td colspan=2>"
        "1</td></tr></tbody></table>"
        '<a href="https://sisra.example/dossier">dossier</a> <a href="mailto:a@b.example">m</a>'
        '<img src="cid:logo@sisra" alt="logo">'
    )
    output = sanitize(source)
    for kept in (
        "<h1>",
        "<b>",
        "<i>",
        "<u>",
        "<strong>",
        "<ul>",
        "<ol>",
        "<li>",
        "<blockquote>",
        "<pre>  code  </pre>",
        "<table>",
        "<th>",
        'colspan="2"',
        'src="cid:logo@sisra"',
    ):
        assert kept in output, kept
    assert '<a href="https://sisra.example/dossier" rel="noopener noreferrer">' in output
    assert 'href="mailto:a@b.example"' in output


def test_remote_image_is_dropped_but_its_alt_text_kept() -> None:
    output = sanitize('<p>avant<img src="https://t.example/p.gif" alt="pixel">après</p>')
    assert "t.example" not in output
    assert "avant" in output
    assert "après" in output


def test_relative_links_are_dropped() -> None:
    output = sanitize('<a href="/local/path">lien</a><a href="page.html">autre</a>')
    assert "href" not in output
    assert "lien" in output
    assert "autre" in output


def test_to_text_reads_like_the_message() -> None:
    source = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<p>Bonjour&nbsp;Docteur,</p><p>Voici   le\n compte rendu.</p>"
        "<ul><li>Ordonnance</li><li>Bilan</li></ul><script>alert(1)</script>"
        "<div>Cordialement,<br>Dr Martin</div></body></html>"
    )
    text = to_text(source)
    assert text == (
        "Bonjour Docteur,\n\nVoici le compte rendu.\n\n- Ordonnance\n- Bilan\n\n"
        "Cordialement,\nDr Martin"
    )


def test_to_text_unescapes_entities_and_skips_invisible_parts() -> None:
    assert to_text("<p>R&eacute;sultat &lt; 5 &amp; stable</p>") == "Résultat < 5 & stable"
    assert to_text("<svg><text>caché</text></svg>visible") == "visible"


def test_text_to_html_escapes_links_and_paragraphs() -> None:
    text = (
        "Bonjour <Docteur> & co,\nvoir https://sisra.example/doc?a=1&b=2.\n\n"
        "Écrire à secretariat@cabinet.example ou www.cabinet.example"
    )
    output = text_to_html(text)
    assert output.count("<p>") == 2
    assert "&lt;Docteur&gt; &amp; co,<br>" in output
    assert 'href="https://sisra.example/doc?a=1&amp;b=2"' in output
    assert ">https://sisra.example/doc?a=1&amp;b=2</a>." in output
    assert 'href="mailto:secretariat@cabinet.example"' in output
    assert 'href="https://www.cabinet.example"' in output
    assert "<script" not in text_to_html("<script>alert(1)</script>")


def test_text_to_html_round_trips_through_to_text() -> None:
    text = "Ligne 1\nLigne 2\n\nParagraphe 2 avec <balise> & esperluette"
    assert to_text(text_to_html(text)) == text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_random_text_never_yields_scripts_or_handlers(source: str) -> None:
    _harmless(sanitize(source))
    assert isinstance(to_text(source), str)


_pieces = st.sampled_from(
    ["<", ">", "/", "script", "img", "src=", "on", "error=", "javascript:", "http://e.x/",
     "'", '"', "=", " ", "a", "href=", "<svg", "<style>", "</", "&#x6A;", "data:", "url(", "!--"]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=40).map("".join))
def test_random_tag_soup_comes_out_harmless(source: str) -> None:
    _harmless(sanitize(source))


# --- What the reader lays out -------------------------------------------------------------------


def test_a_body_is_shown_whole_up_to_max_shown_characters_then_in_part() -> None:
    short = viewable(None, "Bonjour Docteur,\nvoici le compte rendu.")
    assert (short.html, short.truncated) == (
        text_to_html("Bonjour Docteur,\nvoici le compte rendu."),
        False,
    )
    lines = "\n".join(f"Ligne {n}" for n in range(100_000))
    long = viewable(None, lines)
    assert long.truncated
    assert to_text(long.html) == lines[: lines.rfind("\n", 0, MAX_SHOWN)]  # whole lines
    html = "<p>Résultat <b>normal</b>.</p>" * 20_000
    cut = viewable(html, "")
    assert cut.truncated
    assert cut.html.startswith("<p>Résultat <b>normal</b>.</p>")
    assert len(cut.html) < MAX_SHOWN + 100  # the cut elements closed again
    assert _Nesting(cut.html).depth == 2
    assert viewable(html[:MAX_SHOWN], "") == viewable(html[:MAX_SHOWN], "other")


def test_runs_without_a_space_are_offered_a_break_every_long_run_outside_tags() -> None:
    """Only text is touched: a long link keeps its address, an entity is never cut."""
    word = "x" * (3 * LONG_RUN + 10)
    link = "https://ars.example/" + "q" * 1500
    html = f'<p>{word} <a href="{link}">lien</a> {"&amp;" * (LONG_RUN + 1)}</p>'
    shown = viewable(html, "").html
    assert f'href="{link}"' in shown
    assert ("x" * LONG_RUN + "\u200b") * 3 + "x" * 10 + " " in shown
    assert "&amp;" * LONG_RUN + "\u200b&amp;" in shown
    text = viewable(None, word).html
    assert text.count("\u200b") == 3
    assert viewable(None, "x" * LONG_RUN).html.count("\u200b") == 0


def test_full_text_is_the_senders_text_else_the_text_of_the_html() -> None:
    assert full_text("<p>a</p>", "le texte") == "le texte"
    assert full_text("<p>Bonjour</p><p>Docteur</p>", None) == "Bonjour\n\nDocteur"
    assert full_text(None, None) == ""


def test_an_address_at_the_end_of_a_long_word_is_still_linked() -> None:
    """Addresses are looked for from the start of a run of name characters only."""
    output = text_to_html("ref " + "a" * 5000 + "@labo.example fin")
    assert output.count("<a ") == 1
    assert f'href="mailto:{"a" * 5000}@labo.example"' in output
