"""Document types an attachment can carry (DESIGN §2.5): XDS typeCode values of JDV_J07 (LOINC).

The label travels in the attachment's `Content-Description` and in the XDM metadata, so it is the
same text the sandbox and other MonSisra clients write; lookups by label are forgiving about case,
accents and spacing because other senders type them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.text import fold

LOINC_OID = "2.16.840.1.113883.6.1"
OTHER_CODE = "autre"


@dataclass(frozen=True)
class DocumentType:
    code: str  # a LOINC code, or OTHER_CODE
    label: str  # French, as shown in the composer and written in Content-Description

    @property
    def is_loinc(self) -> bool:
        return self.code != OTHER_CODE


DOCUMENT_TYPES: tuple[DocumentType, ...] = (
    DocumentType("11488-4", "Compte rendu de consultation"),
    DocumentType("11490-0", "Lettre de liaison de sortie"),
    DocumentType("57833-6", "Ordonnance"),
    DocumentType("57832-8", "Prescription de soins"),
    DocumentType("60591-5", "Synthèse médicale"),
    DocumentType("11502-2", "CR d'examens biologiques"),
    DocumentType("18748-4", "CR d'imagerie médicale"),
    DocumentType("34112-3", "CR hospitalier"),
    DocumentType("85208-7", "CR de télémédecine"),
    DocumentType("96349-6", "Lettre d'adressage"),
    DocumentType("89601-9", "Certificat médical"),
    DocumentType(OTHER_CODE, "Autre"),
)
OTHER = DOCUMENT_TYPES[-1]

# Other wordings seen for the same codes (DESIGN's long forms, abbreviations written out).
_ALIASES: dict[str, str] = {
    "ordonnance (prescription de produits de sante)": "57833-6",
    "prescription de produits de sante": "57833-6",
    "cr d'imagerie": "18748-4",
    "compte rendu d'imagerie medicale": "18748-4",
    "compte rendu d'examens biologiques": "11502-2",
    "compte rendu hospitalier": "34112-3",
    "compte rendu de telemedecine": "85208-7",
    "autre document": OTHER_CODE,
}


_BY_CODE = {t.code: t for t in DOCUMENT_TYPES}
_BY_LABEL = {fold(t.label): t for t in DOCUMENT_TYPES} | {
    alias: _BY_CODE[code] for alias, code in _ALIASES.items()
}


def by_code(code: str | None) -> DocumentType | None:
    if code is None:
        return None
    return _BY_CODE.get(code.strip())


def by_label(label: str | None) -> DocumentType | None:
    if label is None:
        return None
    return _BY_LABEL.get(fold(label))


def label_of(code: str | None) -> str:
    """The label to show for a code; unknown or missing codes read as "Autre"."""
    found = by_code(code)
    return found.label if found else OTHER.label
