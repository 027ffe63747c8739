"""The core's sentences come from one catalogue (app/messages/): every CoreError names an entry,
a sentence built from values is a template whose fields must all be given, a server's own sentence
is never formatted, French is the default language — and no French sentence for the user is left
written anywhere else in app/ (a scan of the source, with the few texts that are not sentences for
the user listed with their reason)."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Collection
from pathlib import Path

import pytest

import app
from app import messages
from app.account.vault import VaultThrottled
from app.errors import CoreError
from app.messages import Language, Message, Number
from app.outbox.limits import SendLimits, check_sizes
from app.remote.http import CertificateExpired
from app.remote.tls import CertificateFacts

APP = Path(app.__file__).parent
ROOT = APP.parent

# French letters, or French words that an English or technical string does not use.
_FRENCH = re.compile(
    r"[àâçéèêëîïôûùüÿœ]|\b(le|la|les|des|du|une|est|pas|vous|votre|vos|cette|ce|aucun|"
    r"introuvable|réessayez|vérifiez)\b",
    re.IGNORECASE,
)

_SQL = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "PRAGMA"})


def _said(text: str) -> bool:
    """Words (two or more) in French, or that start and end like a sentence (log lines,
    details and SQL do not)."""
    words = text.split()
    if len(words) < 2 or words[0] in _SQL:
        return False
    text = text.strip()
    return bool(_FRENCH.search(text)) or (text[0].isupper() and text.endswith((".", "!", "…")))


# Texts of app/ in French that are no sentence said to the user, and why.
NOT_SAID: dict[str, set[str]] = {
    # The licence's official name, quoted inside a translated sentence of the About box.
    "app/about.py": {"Licence publique de l'Union européenne (EUPL) 1.2"},
    # What replaces a secret in the logs.
    "app/logs.py": {"\\1 [masqué]"},
    # Names of the national document-type nomenclature, written into the documents sent.
    "app/message/doctypes.py": {
        "Synthèse médicale",
        "CR d'imagerie médicale",
        "CR de télémédecine",
        "Certificat médical",
    },
    # The README / INDEX.HTM written into an IHE_XDM.ZIP, for whoever opens the package.
    "app/message/xdm.py": {
        "Paquet IHE XDM (IHE ITI TF-1 §16) produit par MonSisra bureau.",
        "Émetteur : ",
        "Contenu : IHE_XDM/SUBSET01/METADATA.XML et les documents suivants :",
        '\n</ul>\n<p>Métadonnées : <a href="IHE_XDM/SUBSET01/METADATA.XML">METADATA.XML</a>'
        "</p>\n</body></html>\n",
    },
    # The subject and text of a read receipt, written into the message sent to who asked for it.
    "app/message/receipt.py": {
        "Accusé de lecture",
        "Accusé de lecture : ",
        "Le message « ",
        " » a été affiché par ",
        ". Cela ne garantit pas qu'il a été lu ni compris.\r\n",
    },
    # A directory record's name when the directory gives none, and the directory's category
    # labels (data, not sentences).
    "app/remote/directory.py": {"Établissement sans nom", "Équipe sans nom", "Équipe ressource"},
    # The French names of the special folders (data of the folder list).
    "app/session.py": {"Boîte de réception"},
    # The CLI speaks French only: its prompts (its help texts are argparse's `help=`).
    "app/cli.py": {"Mot de passe : ", " Pour les autoriser : "},
}
_ARGPARSE_TEXTS = frozenset({"help", "description", "metavar"})


def _docstrings(tree: ast.AST) -> set[int]:
    """Every string standing alone as a statement: docstrings of modules, classes and functions,
    and those under a module's or a class's attribute (nothing runs them, nobody is shown them)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _not_said(tree: ast.AST) -> set[int]:
    """Docstrings, argparse's help texts and the settings schema's labels (never shown: the
    settings dialog writes its own)."""
    skipped = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in _ARGPARSE_TEXTS:
            skipped.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Setting":
            skipped.update(id(n) for arg in node.args[3:4] for n in ast.walk(arg))
    return skipped


def flagged(source: str, allowed: Collection[str] = ()) -> list[ast.Constant]:
    """The French texts or sentences of `source` that are neither skipped nor `allowed`."""
    tree = ast.parse(source)
    skipped = _not_said(tree)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and node.value not in allowed
        and _said(node.value)
    ]


def test_no_french_sentence_is_written_in_app_outside_the_catalogue() -> None:
    found = []
    for path in sorted(APP.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith("app/messages/"):
            continue
        for node in flagged(path.read_text(encoding="utf-8"), NOT_SAID.get(name, set())):
            found.append(f"  {name}:{node.lineno}: {node.value[:90]!r}")
    assert not found, (
        "sentences for the user written outside app/messages/ (add them to the catalogue, "
        "or to NOT_SAID with the reason they are not said to the user):\n" + "\n".join(found)
    )


def test_the_scan_finds_a_sentence_written_inline_and_lets_logs_and_sql_be() -> None:
    source = (
        'raise CoreError("detail", "Ressource introuvable.")\n'
        'raise CoreError("detail", f"Le fichier « {name} » est absent")\n'
        'log.info("cache opened in %d ms", 3)\n'
        'p.add_argument("--sync", help="synchroniser le cache avec le serveur")\n'
        'Setting("language", str, "fr", "Langue")\n'
        'c.execute("DELETE FROM emails WHERE id = ?")\n'
    )
    found = [n.value for n in flagged(source)]
    assert found == ["Ressource introuvable.", "Le fichier « ", " » est absent"]


def _core_errors() -> list[type[CoreError]]:
    for module in pkgutil.walk_packages(app.__path__, "app."):
        importlib.import_module(module.name)
    found: list[type[CoreError]] = []
    todo: list[type[CoreError]] = [CoreError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_core_error_says_a_sentence_of_the_catalogue() -> None:
    entries = list(messages.catalogue().values())
    errors = _core_errors()
    assert len(errors) > 50
    outside = [c.__qualname__ for c in errors if not any(c.message is e for e in entries)]
    assert not outside, f"CoreErrors whose message is not an entry of the catalogue: {outside}"
    assert all(cls.message_fr == cls.message.text() for cls in errors)


def test_every_entry_has_a_distinct_french_text() -> None:
    texts = [m.template for m in messages.catalogue().values()]
    assert len(texts) > 100
    assert len(set(texts)) == len(texts)
    assert all(not m.values and not m.verbatim for m in messages.catalogue().values())


def test_a_template_is_filled_with_all_its_fields_and_nothing_else() -> None:
    entry = messages.CA_BUNDLE_MISSING
    assert entry.fields == {"name"}
    assert "« ca.pem »" in entry.fill(name="ca.pem").text()
    with pytest.raises(ValueError, match="fields"):
        entry.fill()
    with pytest.raises(ValueError, match="fields"):
        entry.fill(name="ca.pem", other="x")
    with pytest.raises(ValueError, match="fields"):
        messages.LOGIN_REJECTED.fill(name="x")


def test_values_are_written_the_language_s_way_and_the_french_default_is_unchanged() -> None:
    expired = CertificateExpired.with_facts(
        _facts(dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2027, 3, 1, tzinfo=dt.UTC)),
        dt.datetime(2028, 1, 1, tzinfo=dt.UTC),
    )
    assert "a expiré le 1er mars 2027 :" in expired.message_fr
    waiting = VaultThrottled(90)
    assert waiting.message_fr == (
        "Trop d'essais de mot de passe incorrects. Réessayez dans 2 minutes."
    )
    other = Language(translate=lambda t: f"[{t}]", date=dt.date.isoformat, decimal_point=".")
    assert "a expiré le 2027-03-01 :" in expired.message.text(other)  # filled after translation
    assert waiting.message.text(other).endswith("Réessayez dans [2 minutes].]")  # nested: too
    assert Message("{size} Mo").fill(size=Number("1,5")).text(other) == "[1.5 Mo]"


def test_sizes_in_a_refusal_are_numbers_of_the_language() -> None:
    with pytest.raises(CoreError) as caught:
        check_sizes([("scanner.pdf", 1_150_000)], False, SendLimits(200_000, None))
    assert "1,1 Mo" in caught.value.message_fr
    assert "0,2 Mo" in caught.value.message_fr
    english = Language(translate=lambda t: t, date=str, decimal_point=".")
    assert "1.1 Mo" in caught.value.message.text(english)


def test_a_server_s_own_sentence_is_shown_as_it_came() -> None:
    raised = CoreError("HTTP 409", "Limite atteinte : {4} par an.")  # or the UI's, translated
    assert raised.message == Message.said("Limite atteinte : {4} par an.")
    said = raised.message
    assert said.text() == "Limite atteinte : {4} par an."
    assert said.text(Language(translate=str.upper, date=str, decimal_point=".")) == said.text()
    with pytest.raises(ValueError, match="fields"):
        said.fill()


def _facts(not_before: dt.datetime, not_after: dt.datetime) -> CertificateFacts:
    return CertificateFacts(
        subject="CN=mss.example",
        issuer="CN=mss.example",
        not_before=not_before,
        not_after=not_after,
        names=("mss.example",),
        self_signed=True,
    )
