"""The source of ui/ keeps outside text plain (ui/plain.py), checked on its syntax tree so that new
screens follow the rule as they are written, not after a hostile subject found them.

Rules, outside ui/plain.py:
- no `QLabel(...)` nor QLabel subclass: a label is a PlainLabel, or a RichLabel whose markup is
  ours (`set_markup` with a constant template; the values are escaped);
- no `setTextFormat(...)`: the class says the format;
- `setToolTip`, `setWhatsThis`, `QToolTip.showText` take our constant text or `plain_tooltip(…)`;
- no QMessageBox built or called (`QMessageBox(...)`, `QMessageBox.question(...)`…):
  `plain_message_box`;
- `setHtml` (and `insertHtml`, `appendHtml`) only with HTML from app/message/html.py
  (`sanitize`, `text_to_html`) or a document's own `toHtml()`.
"Constant text" is a string literal, `tr("…")`/`translate("…", "…")` of literals, or `+` and
`… if … else …` of those; `.format(...)` is not constant (its values may come from outside).
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"
HOME = "plain.py"  # the one module allowed to build labels and message boxes
TOOLTIP_SETTERS = {"setToolTip", "setWhatsThis"}
HTML_SETTERS = {"setHtml", "insertHtml", "appendHtml"}
SAFE_HTML = {"sanitize", "text_to_html", "toHtml"}
# (file under ui/, the call's source as ast.unparse writes it) → why it is fine. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {
    ("mail/message_body.py", "self.setHtml(body.html)"): (
        "body = viewable(…): app/message/html.py's sanitize or text_to_html of the message, cut "
        "to what Qt lays out quickly"
    ),
}


def _name(node: ast.expr) -> str:
    """`f` for `f(...)`, `m` for `x.m(...)`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def constant_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Call) and _name(node.func) in ("tr", "translate"):
        return all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return constant_text(node.left) and constant_text(node.right)
    if isinstance(node, ast.IfExp):
        return constant_text(node.body) and constant_text(node.orelse)
    return False


def _calls(node: ast.expr, names: set[str]) -> bool:
    return isinstance(node, ast.Call) and _name(node.func) in names


def violations(source: str, filename: str = "<ui>") -> list[str]:
    """Each breach of the rules above: 'file:line: what (the call)'."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename)):
        problem = None
        if isinstance(node, ast.ClassDef) and any(_name(b) == "QLabel" for b in node.bases):
            problem = "QLabel subclass: derive from PlainLabel or RichLabel"
        elif isinstance(node, ast.Call):
            problem = _call_problem(node)
        if problem is None:
            continue
        code = ast.unparse(node).split("\n")[0] if isinstance(node, ast.Call) else node.name
        if (filename, code) not in ALLOWED:
            found.append(f"{filename}:{node.lineno}: {problem} ({code})")
    return found


def _call_problem(call: ast.Call) -> str | None:
    name = _name(call.func)
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if name == "QLabel":
        return "bare QLabel: PlainLabel, or RichLabel for markup of ours"
    if name == "setTextFormat":
        return "setTextFormat: the label's class (PlainLabel, RichLabel) sets the format"
    if name == "QMessageBox" or (
        receiver is not None and _name(receiver) == "QMessageBox" and name[:1].islower()
    ):
        return "QMessageBox: use plain_message_box"
    if name in TOOLTIP_SETTERS or (name == "showText" and _name(receiver or call) == "QToolTip"):
        text = call.args[-1] if call.args else None
        if text is not None and not (constant_text(text) or _calls(text, {"plain_tooltip"})):
            return f"{name} with text that is not constant: wrap it in plain_tooltip()"
    if name == "set_markup" and call.args and not constant_text(call.args[0]):
        return "set_markup with a template that is not constant text"
    if name in HTML_SETTERS and call.args and not _calls(call.args[0], SAFE_HTML):
        return f"{name} with HTML that app/message/html.py did not make"
    return None


def test_ui_sources_show_outside_text_as_plain_text() -> None:
    found: list[str] = []
    for path in sorted(UI.rglob("*.py")):
        relative = path.relative_to(UI).as_posix()
        if relative != HOME:
            found += violations(path.read_text(encoding="utf-8"), relative)
    assert not found, "\n".join(found)


def test_allowed_exceptions_still_exist() -> None:
    """An exception whose call is gone must leave the list (the list stays short)."""
    for relative, code in ALLOWED:
        assert code in ast.unparse(ast.parse((UI / relative).read_text(encoding="utf-8")))


def test_each_rule_catches_its_breach() -> None:
    breaches = {
        "QLabel(name)": "bare QLabel",
        "QLabel(self.tr('Objet'))": "bare QLabel",
        "label.setTextFormat(Qt.TextFormat.RichText)": "setTextFormat",
        "button.setToolTip(subject)": "setToolTip",
        "button.setToolTip(self.tr('À {name}').format(name=name))": "setToolTip",
        "item.setWhatsThis(f'{name}')": "setWhatsThis",
        "QToolTip.showText(pos, name)": "showText",
        "QMessageBox(self)": "QMessageBox",
        "QMessageBox.question(self, 'Titre', name)": "QMessageBox",
        "label.set_markup('<b>' + name + '</b>', name=name)": "set_markup",
        "view.setHtml(body)": "setHtml",
    }
    for source, rule in breaches.items():
        [problem] = violations(source)
        assert rule in problem, (source, problem)
    fine = (
        "PlainLabel(name)\n"
        "button.setToolTip(self.tr('Retirer'))\n"
        "button.setToolTip(plain_tooltip(name))\n"
        "button.setToolTip(tr('Ouvrir') if ok else QCoreApplication.translate('C', 'Fermer'))\n"
        "label.set_markup(self.tr('Patient : ') + '<b>{name}</b>', name=name)\n"
        "box = plain_message_box(self, QMessageBox.Icon.Question, 'Titre', name)\n"
        "box.addButton(self.tr('Annuler'), QMessageBox.ButtonRole.RejectRole)\n"
        "view.setHtml(sanitize(body))\n"
        "class Banner(PlainLabel): pass\n"
    )
    assert violations(fine) == []
    assert len(violations("class Title(QLabel): pass")) == 1
