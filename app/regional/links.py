"""Links to the regional portal that the app opens in the system browser: one place that builds
them, so that the mail reader and Mes patients open the same page for a patient, and an INS
never changes the link's path (it is percent-encoded whole)."""

from __future__ import annotations

from urllib.parse import quote


def patient_file_url(template: str, ins: str) -> str:
    """The patient's file on the portal: the server's template (`RegionalUrls`) with `{ins}`
    replaced by the INS, percent-encoded (no '/' or '?' of it can reach the path or the query)."""
    return template.replace("{ins}", quote(ins, safe=""))


# The FAQ's topic of each page of the app ("Aide"): anchors of the portal's help page, which
# makes them from the FAQ's questions (server/portal/help.py, `topic_anchor`).
HELP_TOPICS: dict[str, str] = {
    "mail": "comment-envoyer-des-courriers-avec-monsisra",
    "directory": "comment-envoyer-des-courriers-avec-monsisra",
    "teleexpertise": "comment-solliciter-un-expert",
    "teleconsultations": "comment-planifier-une-teleconsultation",
    "patients": "comment-trouver-et-suivre-mes-patients",
    "teams": "comment-se-declarer-comme-equipe-ressource",
    "settings": "quels-sont-les-differents-modes-de-connexion-a-monsisra",
}


def help_url(base: str, page: str) -> str:
    """The help page at the FAQ's topic of `page` (a key of HELP_TOPICS)."""
    return f"{base.partition('#')[0]}#{HELP_TOPICS[page]}"


__all__ = ["HELP_TOPICS", "help_url", "patient_file_url"]
