"""Ordinal specialties (ANS nomenclature TRE_R38, dated 2022-08), for the directory's specialty
filter: the client must offer the list before any search, and the core carries no copy of it."""

from __future__ import annotations

from app.records import specialty_label
from app.text import fold

SPECIALTIES: tuple[tuple[str, str], ...] = (
    ("SCD01", "Orthopédie dento-faciale (SCD)"),
    ("SCD02", "Chirurgie orale (SCD)"),
    ("SCD03", "Médecine bucco-dentaire (SCD)"),
    ("SI01", "Exercice infirmier en pratique avancée pathologies chroniques stabilisées (SI)"),
    ("SI02", "Exercice infirmier en pratique avancée oncologie et hémato-oncologie (SI)"),
    ("SI03", "Exercice infirmier en pratique avancée maladie rénale chronique (SI)"),
    ("SI04", "Exercice infirmier en pratique avancée santé mentale (SI)"),
    ("SI05", "Exercice infirmier en pratique avancée urgences"),
    ("SM01", "Anatomie et Cytologie pathologiques (SM)"),
    ("SM02", "Anesthésie-réanimation (SM)"),
    ("SM03", "Biologie médicale (SM)"),
    ("SM04", "Cardiologie et Maladies vasculaires (SM)"),
    ("SM05", "Chirurgie générale (SM)"),
    ("SM06", "Chirurgie maxillo-faciale (SM)"),
    ("SM07", "Chirurgie maxillo-faciale et Stomatologie (SM)"),
    ("SM08", "Chirurgie orthopédique et Traumatologie (SM)"),
    ("SM09", "Chirurgie infantile (SM)"),
    ("SM10", "Chirurgie plastique reconstructrice et esthétique (SM)"),
    ("SM11", "Chirurgie thoracique et cardio-vasculaire (SM)"),
    ("SM12", "Chirurgie urologique (SM)"),
    ("SM13", "Chirurgie vasculaire (SM)"),
    ("SM14", "Chirurgie viscérale et digestive (SM)"),
    ("SM15", "Dermatologie et Vénéréologie (SM)"),
    ("SM16", "Endocrinologie et Métabolisme (SM)"),
    ("SM17", "Génétique médicale (SM)"),
    ("SM18", "Gériatrie (SM)"),
    ("SM19", "Gynécologie médicale (SM)"),
    ("SM20", "Gynécologie-obstétrique (SM)"),
    ("SM21", "Hématologie (SM)"),
    ("SM22", "Hématologie, option Maladie du sang (SM)"),
    ("SM23", "Hématologie, option Onco-hématologie (SM)"),
    ("SM24", "Gastro-entérologie et Hépatologie (SM)"),
    ("SM25", "Médecine du travail (SM)"),
    ("SM26", "Qualifié en Médecine générale (SM)"),
    ("SM27", "Médecine interne (SM)"),
    ("SM28", "Médecine nucléaire (SM)"),
    ("SM29", "Médecine physique et de réadaptation (SM)"),
    ("SM30", "Néphrologie (SM)"),
    ("SM31", "Neuro-chirurgie (SM)"),
    ("SM32", "Neurologie (SM)"),
    ("SM33", "Neuro-psychiatrie (SM)"),
    ("SM34", "ORL et Chirurgie cervico-faciale (SM)"),
    ("SM35", "Oncologie, option Onco-hématologie (SM)"),
    ("SM36", "Oncologie, option médicale (SM)"),
    ("SM37", "Oncologie, option radiothérapie (SM)"),
    ("SM38", "Ophtalmologie (SM)"),
    ("SM39", "Oto-rhino-laryngologie (SM)"),
    ("SM40", "Pédiatrie (SM)"),
    ("SM41", "Pneumologie (SM)"),
    ("SM42", "Psychiatrie (SM)"),
    ("SM43", "Psychiatrie, option enfant et adolescent (SM)"),
    ("SM44", "Radio-diagnostic (SM)"),
    ("SM45", "Radio-thérapie (SM)"),
    ("SM46", "Médecine intensive-réanimation (SM)"),
    ("SM47", "Recherche médicale (SM)"),
    ("SM48", "Rhumatologie (SM)"),
    ("SM49", "Santé publique et Médecine sociale (SM)"),
    ("SM50", "Stomatologie (SM)"),
    ("SM51", "Gynéco-obstétrique et Gynéco-médicale, option Gynéco-obstétrique (SM)"),
    ("SM52", "Gynéco-obstétrique et Gynéco-médicale, option Gynéco-médicale (SM)"),
    ("SM53", "Spécialiste en Médecine générale (SM)"),
    ("SM54", "Médecine générale (SM)"),
    ("SM55", "Radio-diagnostic et Radio-thérapie (SM)"),
    ("SM56", "Chirurgie orale (SM)"),
    ("SM57", "Allergologie (SM)"),
    ("SM58", "Maladies infectieuses et tropicales (SM)"),
    ("SM59", "Médecine d'urgence (SM)"),
    ("SM60", "Médecine légale et expertises médicales (SM)"),
    ("SM61", "Médecine vasculaire (SM)"),
    ("SM62", "Endocrinologie, diabétologie, nutrition (SM)"),
    ("SM63", "Biologie médicale option biologie générale (SM)"),
    ("SM64", "Biologie médicale option médecine moléculaire, génétique et pharmacologie (SM)"),
    ("SM65", "Biologie médicale option hématologie et immunologie (SM)"),
    ("SM66", "Biologie médicale option agents infectieux (SM)"),
    ("SM67", "Biologie médicale option biologie de la reproduction (SM)"),
    ("SM68", "Chirurgie maxillo-faciale (réforme 2017) (SM)"),
    ("SM69", "Chirurgie pédiatrique option chirurgie viscérale pédiatrique (SM)"),
    ("SM70", "Chirurgie pédiatrique option orthopédie pédiatrique (SM)"),
    ("SM71", "Hématologie (réforme 2017) (SM)"),
    ("SM72", "Médecine interne et immunologie clinique (SM)"),
    ("SP01", "Radio-pharmacie (SP)"),
    ("SP02", "Hygiène (SP)"),
    ("SP03", "Pharmacovigilance (SP)"),
    ("SP04", "Hémovigilance (SP)"),
)


def short_label(label: str) -> str:
    """'Cardiologie et Maladies vasculaires (SM)' without its register suffix, as people say it
    (app.records.specialty_label)."""
    return specialty_label(label) or label


def options() -> list[tuple[str, str]]:
    """(code, label) in alphabetical order; the suffix is kept only where two labels would clash."""
    shorts = [short_label(label) for _, label in SPECIALTIES]
    clashing = {s for s in shorts if shorts.count(s) > 1}
    shown = [
        (code, label if short in clashing else short)
        for (code, label), short in zip(SPECIALTIES, shorts, strict=True)
    ]
    return sorted(shown, key=lambda item: fold(item[1]))
