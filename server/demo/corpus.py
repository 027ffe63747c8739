"""The French texts of the demo's mail: clinical situations and the phrases letters are made of.

Everything is fictional and deliberately ordinary: the situations a GP in Lyon exchanges about
every week (hypertension, anticoagulants, wounds, a suspicious naevus…), written the sober way
colleagues write to each other. The generator in conversations.py picks and combines them.
"""

from __future__ import annotations

from dataclasses import dataclass

# Roles of correspondents, by TRE_R38 specialty codes (and TRE_G15 profession for non-physicians).
ROLE_SPECIALTIES: dict[str, tuple[str, ...]] = {
    "cardiologue": ("SM04",),
    "dermatologue": ("SM15",),
    "pneumologue": ("SM41",),
    "endocrinologue": ("SM16", "SM62"),
    "rhumatologue": ("SM48",),
    "gastro-entérologue": ("SM24",),
    "neurologue": ("SM32",),
    "gériatre": ("SM18",),
    "néphrologue": ("SM30",),
    "chirurgien orthopédiste": ("SM08",),
    "radiologue": ("SM44", "SM55"),
    "biologiste": ("SM03", "SM63", "SM64", "SM65", "SM66"),
}
ROLE_PROFESSIONS: dict[str, str] = {
    "infirmier": "60",
    "pharmacien": "21",
    "kinésithérapeute": "70",
    "sage-femme": "50",
}
SPECIALTY_WORD: dict[str, str] = {
    "cardiologue": "cardiologique",
    "dermatologue": "dermatologique",
    "pneumologue": "pneumologique",
    "endocrinologue": "endocrinologique",
    "rhumatologue": "rhumatologique",
    "gastro-entérologue": "gastro-entérologique",
    "neurologue": "neurologique",
    "gériatre": "gériatrique",
    "néphrologue": "néphrologique",
    "chirurgien orthopédiste": "orthopédique",
}


@dataclass(frozen=True)
class Case:
    """A clinical situation that a GP refers to a specialist and follows afterwards."""

    key: str
    role: str  # the specialist who sees the patient (a key of ROLE_SPECIALTIES)
    motif: str  # completes "pour …"
    short: str  # for subjects
    history: str
    question: str
    exam: str
    conclusion: str
    treatment: tuple[str, ...]
    bio: tuple[tuple[str, str, str], ...]  # (analyse, résultat, valeurs de référence)
    imaging: tuple[str, str] = ("", "")  # (examen, conclusion)
    ecg: bool = False
    photo: bool = False
    min_age: int = 18


CASES: tuple[Case, ...] = (
    Case(
        key="dyspnee",
        role="cardiologue",
        motif="une dyspnée d'effort d'aggravation progressive depuis trois mois",
        short="dyspnée d'effort",
        history="HTA traitée depuis dix ans, dyslipidémie, ancien tabagisme sevré (20 PA).",
        question="Je souhaiterais ton avis sur l'origine cardiaque de cette dyspnée et sur "
        "l'opportunité d'une échographie cardiaque.",
        exam="PA 148/86 mmHg, FC 78/min régulière. Pas de souffle. Discrets œdèmes des chevilles. "
        "ECG : rythme sinusal, hypertrophie ventriculaire gauche électrique, pas de trouble de "
        "la repolarisation aigu. Échographie : FEVG 50 %, dysfonction diastolique de grade I, "
        "pas de valvulopathie significative.",
        conclusion="Cardiopathie hypertensive à fraction d'éjection préservée. Pas d'argument "
        "pour une cardiopathie ischémique à ce stade.",
        treatment=(
            "Ramipril 5 mg : 1 comprimé le matin",
            "Amlodipine 5 mg : 1 comprimé le soir",
            "Atorvastatine 20 mg : 1 comprimé le soir",
        ),
        bio=(
            ("NT-proBNP", "312 pg/mL", "< 125"),
            ("Créatinine", "88 µmol/L", "45 – 90"),
            ("DFG (CKD-EPI)", "71 mL/min/1,73 m²", "> 60"),
            ("Potassium", "4,3 mmol/L", "3,5 – 5,0"),
        ),
        ecg=True,
        min_age=50,
    ),
    Case(
        key="fa",
        role="cardiologue",
        motif="des palpitations avec une fibrillation atriale découverte à l'ECG du cabinet",
        short="FA de découverte récente",
        history="HTA, surpoids. Pas d'antécédent d'AVC. CHA2DS2-VASc à 3.",
        question="Merci de confirmer l'indication d'une anticoagulation et de discuter d'une "
        "stratégie de contrôle du rythme.",
        exam="Fibrillation atriale à réponse ventriculaire contrôlée (82/min). Échographie : "
        "oreillette gauche modérément dilatée, FEVG conservée à 60 %.",
        conclusion="Fibrillation atriale persistante, CHA2DS2-VASc 3, HAS-BLED 1. Anticoagulation "
        "indiquée.",
        treatment=(
            "Apixaban 5 mg : 1 comprimé matin et soir",
            "Bisoprolol 2,5 mg : 1 comprimé le matin",
        ),
        bio=(
            ("TSH", "1,84 mUI/L", "0,27 – 4,20"),
            ("Hémoglobine", "13,9 g/dL", "12,0 – 16,0"),
            ("Créatinine", "79 µmol/L", "45 – 90"),
        ),
        ecg=True,
        min_age=55,
    ),
    Case(
        key="naevus",
        role="dermatologue",
        motif="une lésion pigmentée du dos qui s'est modifiée ces derniers mois",
        short="lésion pigmentée",
        history="Phototype II, nombreux naevus, coups de soleil dans l'enfance. Pas "
        "d'antécédent familial de mélanome connu.",
        question="La lésion est asymétrique, de 7 mm, à bords irréguliers : pourrais-tu la voir "
        "rapidement ?",
        exam="Examen dermoscopique : lésion mélanocytaire asymétrique à réseau atypique, sans "
        "critère de régression. Reste de l'examen cutané sans particularité.",
        conclusion="Naevus atypique : exérèse à visée diagnostique programmée, analyse "
        "anatomopathologique.",
        treatment=("Soins locaux après exérèse : vaseline, pansement sec 10 jours",),
        bio=(),
        photo=True,
    ),
    Case(
        key="psoriasis",
        role="dermatologue",
        motif="un psoriasis en plaques étendu, résistant aux dermocorticoïdes",
        short="psoriasis étendu",
        history="Psoriasis depuis l'adolescence. Surpoids, consommation d'alcool modérée.",
        question="Faut-il envisager un traitement systémique ?",
        exam="Plaques érythémato-squameuses des coudes, genoux, cuir chevelu et lombes ; "
        "BSA estimée à 12 %, PASI 14. Pas d'atteinte unguéale ni articulaire.",
        conclusion="Psoriasis modéré à sévère : indication d'un traitement systémique par "
        "méthotrexate après bilan.",
        treatment=(
            "Méthotrexate 15 mg : 1 fois par semaine, le lundi",
            "Acide folique 5 mg : 1 comprimé le mercredi",
            "Bétaméthasone + calcipotriol gel : 1 application le soir",
        ),
        bio=(
            ("ASAT", "24 UI/L", "< 35"),
            ("ALAT", "31 UI/L", "< 45"),
            ("Plaquettes", "248 G/L", "150 – 400"),
            ("Créatinine", "72 µmol/L", "45 – 90"),
        ),
        photo=True,
    ),
    Case(
        key="bpco",
        role="pneumologue",
        motif="une toux chronique et une dyspnée chez un ancien fumeur",
        short="suspicion de BPCO",
        history="Tabagisme sevré il y a 2 ans (35 PA). Deux épisodes de bronchite l'hiver dernier.",
        question="Merci de réaliser des EFR et de me dire ce que tu proposes.",
        exam="Auscultation : quelques sibilants expiratoires. EFR : VEMS 62 % de la théorique, "
        "rapport VEMS/CVF 0,61, réversibilité non significative.",
        conclusion="BPCO de stade GOLD 2, groupe B.",
        treatment=(
            "Tiotropium 2,5 µg : 2 inhalations le matin",
            "Salbutamol 100 µg : 2 bouffées si gêne",
            "Réhabilitation respiratoire : 20 séances",
        ),
        bio=(("Hémoglobine", "15,8 g/dL", "13,0 – 17,0"),),
        imaging=(
            "Scanner thoracique sans injection",
            "Emphysème centrolobulaire des apex. Pas de nodule suspect.",
        ),
        min_age=45,
    ),
    Case(
        key="diabete",
        role="endocrinologue",
        motif="un diabète de type 2 déséquilibré malgré une bithérapie orale",
        short="diabète déséquilibré",
        history="Diabète de type 2 depuis 8 ans, HTA, obésité (IMC 33).",
        question="Quelle intensification proposes-tu ?",
        exam="Poids 94 kg, PA 138/82. Pas de neuropathie au monofilament. Fond d'œil de "
        "l'an dernier normal.",
        conclusion="Diabète de type 2 insuffisamment contrôlé (HbA1c 8,4 %). Introduction d'un "
        "agoniste du GLP-1.",
        treatment=(
            "Metformine 1000 mg : 1 comprimé matin et soir",
            "Sémaglutide 0,25 mg : 1 injection par semaine pendant 4 semaines, puis 0,5 mg",
            "Lecteur de glycémie et bandelettes : 1 boîte",
        ),
        bio=(
            ("HbA1c", "8,4 %", "< 7,0"),
            ("Glycémie à jeun", "1,62 g/L", "0,70 – 1,10"),
            ("Microalbuminurie", "24 mg/g de créatinine", "< 30"),
            ("LDL-cholestérol", "1,12 g/L", "< 1,00"),
        ),
        min_age=40,
    ),
    Case(
        key="gonalgie",
        role="rhumatologue",
        motif="des gonalgies mécaniques bilatérales invalidantes",
        short="gonarthrose",
        history="Surpoids. Ancienne joueuse de handball. Pas de traumatisme récent.",
        question="Une infiltration est-elle envisageable avant d'adresser au chirurgien ?",
        exam="Genoux : épanchement minime à droite, flessum de 5°, crépitements. Radiographies : "
        "pincement fémoro-tibial interne, ostéophytes.",
        conclusion="Gonarthrose fémoro-tibiale interne bilatérale, prédominant à droite.",
        treatment=(
            "Paracétamol 1 g : jusqu'à 3 fois par jour",
            "Kinésithérapie : renforcement du quadriceps, 15 séances",
        ),
        bio=(("CRP", "3 mg/L", "< 5"),),
        imaging=(
            "Radiographies des genoux en charge",
            "Pincement fémoro-tibial interne bilatéral, stade 3 de Kellgren-Lawrence à droite.",
        ),
        min_age=50,
    ),
    Case(
        key="anemie",
        role="gastro-entérologue",
        motif="une anémie ferriprive sans cause évidente",
        short="anémie ferriprive",
        history="Pas de saignement extériorisé. Prise d'aspirine 75 mg au long cours.",
        question="Une exploration endoscopique haute et basse te paraît-elle indiquée ?",
        exam="Abdomen souple. Toucher rectal sans particularité. Endoscopies : gastrite "
        "chronique, polype colique de 8 mm réséqué.",
        conclusion="Anémie ferriprive sur saignement occulte probable ; analyse du polype en "
        "cours.",
        treatment=("Fer ferreux 80 mg : 1 comprimé par jour pendant 3 mois",),
        bio=(
            ("Hémoglobine", "10,2 g/dL", "12,0 – 16,0"),
            ("VGM", "74 fL", "80 – 100"),
            ("Ferritine", "8 µg/L", "15 – 150"),
            ("CRP", "2 mg/L", "< 5"),
        ),
        min_age=45,
    ),
    Case(
        key="tia",
        role="neurologue",
        motif="un épisode transitoire de trouble du langage ayant duré vingt minutes",
        short="suspicion d'AIT",
        history="HTA, dyslipidémie. Épisode survenu il y a 48 h, régressif.",
        question="Merci de le voir en urgence relative (filière AIT).",
        exam="Examen neurologique normal. IRM cérébrale : pas de lésion ischémique récente. "
        "Doppler des troncs supra-aortiques : sténose carotidienne gauche de 40 %.",
        conclusion="AIT probable dans le territoire sylvien gauche. Prévention secondaire "
        "renforcée.",
        treatment=(
            "Clopidogrel 75 mg : 1 comprimé par jour",
            "Atorvastatine 80 mg : 1 comprimé le soir",
        ),
        bio=(
            ("LDL-cholestérol", "1,48 g/L", "< 0,70"),
            ("Glycémie à jeun", "0,98 g/L", "0,70 – 1,10"),
        ),
        imaging=(
            "IRM cérébrale",
            "Pas d'hypersignal diffusion. Leucopathie vasculaire discrète (Fazekas 1).",
        ),
        min_age=55,
    ),
    Case(
        key="chutes",
        role="gériatre",
        motif="des chutes répétées et un déclin fonctionnel récent",
        short="chutes répétées",
        history="Vit seule, aide-ménagère deux fois par semaine. Polymédication (9 lignes).",
        question="Une évaluation gériatrique globale serait précieuse.",
        exam="Timed Up and Go 18 s. MMSE 25/30. Hypotension orthostatique à 3 minutes.",
        conclusion="Syndrome de fragilité, hypotension orthostatique iatrogène probable. "
        "Révision de l'ordonnance.",
        treatment=(
            "Arrêt de l'hydrochlorothiazide",
            "Cholécalciférol 100 000 UI : 1 ampoule tous les 3 mois",
            "Kinésithérapie : rééducation à la marche, 20 séances à domicile",
        ),
        bio=(
            ("Sodium", "133 mmol/L", "136 – 145"),
            ("25-OH vitamine D", "14 ng/mL", "30 – 100"),
            ("Albumine", "36 g/L", "35 – 50"),
        ),
        min_age=75,
    ),
    Case(
        key="irc",
        role="néphrologue",
        motif="une dégradation de la fonction rénale chez un patient diabétique",
        short="insuffisance rénale",
        history="Diabète de type 2, HTA. DFG passé de 58 à 41 mL/min en un an.",
        question="Merci de ton avis sur la prise en charge et l'adaptation des traitements.",
        exam="PA 152/88. Pas d'œdème. Échographie rénale : reins de taille normale, sans obstacle.",
        conclusion="Maladie rénale chronique stade 3b d'origine diabétique et vasculaire.",
        treatment=(
            "Dapagliflozine 10 mg : 1 comprimé le matin",
            "Metformine 500 mg : 1 comprimé matin et soir (dose réduite)",
        ),
        bio=(
            ("Créatinine", "142 µmol/L", "60 – 110"),
            ("DFG (CKD-EPI)", "41 mL/min/1,73 m²", "> 60"),
            ("Potassium", "5,1 mmol/L", "3,5 – 5,0"),
            ("Rapport albuminurie/créatininurie", "86 mg/g", "< 30"),
        ),
        min_age=50,
    ),
    Case(
        key="hanche",
        role="chirurgien orthopédiste",
        motif="une coxarthrose évoluée avec retentissement sur la marche",
        short="coxarthrose",
        history="Douleurs de hanche droite depuis 3 ans, périmètre de marche 300 m.",
        question="Une prothèse totale de hanche peut-elle être discutée ?",
        exam="Raideur de hanche droite, flexion 80°, rotation interne nulle. Radiographie : "
        "coxarthrose droite évoluée.",
        conclusion="Indication de prothèse totale de hanche droite retenue, intervention "
        "programmée.",
        treatment=(
            "Enoxaparine 4000 UI : 1 injection sous-cutanée par jour pendant 35 jours",
            "Soins infirmiers : pansement tous les 2 jours, ablation des agrafes à J14",
        ),
        bio=(("Hémoglobine", "12,8 g/dL", "12,0 – 16,0"),),
        imaging=(
            "Radiographie du bassin de face",
            "Coxarthrose droite avec pincement supéro-externe complet et géode cotyloïdienne.",
        ),
        min_age=55,
    ),
)

NURSE_SITUATIONS: tuple[tuple[str, str, str], ...] = (
    # (sujet, message de l'infirmier, réponse du médecin)
    (
        "INR du jour",
        "Bonjour Docteur,\n\nINR ce matin à {inr} pour {patient} (cible 2 – 3), sous warfarine "
        "{dose} mg. Pas de saignement, pas d'oubli de prise signalé. Que faisons-nous pour la "
        "dose ?",
        "Bonjour,\n\nMerci. {inr_advice} Contrôle de l'INR dans {days} jours.\n\nBien à vous,",
    ),
    (
        "Ulcère de jambe : évolution",
        "Bonjour Docteur,\n\nL'ulcère de la jambe gauche de {patient} évolue lentement : "
        "fibrine en diminution, bords propres, pas de signe infectieux. Je poursuis "
        "l'hydrocolloïde et la compression. Pourriez-vous renouveler la prescription de soins "
        "et du matériel ?",
        "Bonjour,\n\nMerci pour ce suivi. Vous trouverez la prescription de soins renouvelée "
        "pour un mois. Je verrai le patient en consultation la semaine prochaine.\n\nCordialement,",
    ),
    (
        "Pansement post-opératoire",
        "Bonjour,\n\nPremier pansement fait ce jour chez {patient} après la prothèse : "
        "cicatrice propre, sèche, pas d'écoulement. Les agrafes sont à retirer à J14. "
        "Pouvez-vous me confirmer la poursuite de l'enoxaparine ?",
        "Bonjour,\n\nOui, enoxaparine à poursuivre jusqu'à J35 comme prévu, avec une "
        "numération plaquettaire hebdomadaire. Merci,\n\nBien cordialement,",
    ),
    (
        "Glycémies capillaires",
        "Bonjour Docteur,\n\nLes glycémies capillaires de {patient} sont élevées le matin "
        "depuis une semaine (1,80 à 2,20 g/L). Il dit bien suivre son traitement. "
        "Souhaitez-vous adapter l'insuline ?",
        "Bonjour,\n\nAugmenter l'insuline glargine de 2 unités tous les 3 jours jusqu'à une "
        "glycémie à jeun inférieure à 1,30 g/L, sans dépasser 24 unités. Tenez-moi au "
        "courant.\n\nMerci,",
    ),
    (
        "Prise de sang à domicile",
        "Bonjour,\n\nJe passe demain matin chez {patient} pour le bilan demandé. Pouvez-vous "
        "m'envoyer l'ordonnance ? Le laboratoire vous transmettra les résultats directement.",
        "Bonjour,\n\nVoici l'ordonnance. Merci beaucoup.\n\nCordialement,",
    ),
    (
        "Pilulier et observance",
        "Bonjour Docteur,\n\n{patient} a de nouveau oublié plusieurs prises cette semaine. "
        "Je propose un passage quotidien pour la préparation du pilulier. Pourriez-vous "
        "prescrire la surveillance ?",
        "Bonjour,\n\nTout à fait d'accord. Prescription jointe pour un passage quotidien "
        "pendant un mois.\n\nBien à vous,",
    ),
)

PHARMA_SITUATIONS: tuple[tuple[str, str, str], ...] = (
    (
        "Renouvellement de traitement",
        "Bonjour Docteur,\n\nL'ordonnance de {patient} arrive à échéance et le patient n'a pas "
        "de rendez-vous avant trois semaines. J'ai dépanné pour quelques jours. Pourriez-vous "
        "m'adresser un renouvellement ?",
        "Bonjour,\n\nVous trouverez l'ordonnance renouvelée pour trois mois. Merci pour le "
        "dépannage.\n\nCordialement,",
    ),
    (
        "Rupture de stock",
        "Bonjour Docteur,\n\nLe {drug} prescrit à {patient} est en rupture chez tous nos "
        "grossistes. Je vous propose une substitution par un équivalent au même dosage. "
        "Êtes-vous d'accord ?",
        "Bonjour,\n\nD'accord pour la substitution. Je l'indique dans le dossier.\n\nMerci,",
    ),
    (
        "Interaction médicamenteuse",
        "Bonjour Docteur,\n\nL'ordonnance de {patient} associe clarithromycine et "
        "atorvastatine : risque de rhabdomyolyse. Souhaitez-vous suspendre la statine pendant "
        "l'antibiothérapie ou changer d'antibiotique ?",
        "Bonjour,\n\nBien vu, merci. Suspendre l'atorvastatine pendant les 7 jours "
        "d'antibiotique ; nouvelle ordonnance jointe.\n\nBien cordialement,",
    ),
    (
        "Ordonnance illisible",
        "Bonjour,\n\nLa posologie du deuxième médicament de l'ordonnance manuscrite de "
        "{patient} n'est pas lisible. Pourriez-vous me la confirmer ?",
        "Bonjour,\n\nIl s'agit d'un comprimé matin et soir. Je vous renvoie l'ordonnance au "
        "propre.\n\nCordialement,",
    ),
    (
        "Entretien pharmaceutique AVK",
        "Bonjour Docteur,\n\nJ'ai réalisé aujourd'hui l'entretien pharmaceutique AVK de "
        "{patient}. Bonne compréhension du traitement ; carnet de suivi remis. Les derniers "
        "INR sont stables.",
        "Merci pour ce retour, c'est précieux.\n\nBien à vous,",
    ),
)

# Notes from the practice's secretary: (sujet, corps, avec patient ?)
SECRETARY_NOTES: tuple[tuple[str, str, bool], ...] = (
    (
        "Appel de {patient}",
        "Bonjour Docteur,\n\n{patient} a appelé ce matin : {reason}. Elle/il souhaite être "
        "rappelé(e) en fin de journée au {phone}.\n\nSandrine",
        True,
    ),
    (
        "Courrier reçu pour {patient}",
        "Bonjour,\n\nNous avons reçu par la poste un courrier concernant {patient}. Je l'ai "
        "scanné, il est en pièce jointe. L'original est dans le classeur.\n\nSandrine",
        True,
    ),
    (
        "Demande de certificat",
        "Bonjour Docteur,\n\n{patient} demande un certificat de non contre-indication au sport "
        "pour son club. Je lui ai proposé un rendez-vous jeudi.\n\nSandrine",
        True,
    ),
    (
        "Planning de la semaine",
        "Bonjour,\n\nVoici les changements de la semaine : consultations sans rendez-vous "
        "décalées à 14 h mercredi, visite à domicile ajoutée vendredi matin. Le Dr Vasseur "
        "assure la permanence samedi.\n\nSandrine",
        False,
    ),
    (
        "Fermeture du cabinet",
        "Bonjour à tous,\n\nLe cabinet sera fermé le lundi du pont. Le message du répondeur "
        "renvoie vers le 15 et la maison médicale de garde.\n\nSandrine",
        False,
    ),
    (
        "Mise à jour du logiciel",
        "Bonjour,\n\nL'éditeur du logiciel de cabinet installe une mise à jour jeudi entre 12 h "
        "et 14 h. Merci de ne pas ouvrir de dossier pendant ce créneau.\n\nSandrine",
        False,
    ),
    (
        "Commande de fournitures",
        "Bonjour,\n\nJ'ai passé la commande de gants, de draps d'examen et de bandelettes "
        "urinaires. Il manquait aussi des abaisse-langues : c'est ajouté.\n\nSandrine",
        False,
    ),
    (
        "Remplacement en août",
        "Bonjour Docteur,\n\nLe Dr Lemoine confirme le remplacement du 4 au 22 août. Il faut "
        "lui ouvrir un accès au logiciel et à la messagerie sécurisée.\n\nSandrine",
        False,
    ),
)

CALL_REASONS = (
    "elle signale une fièvre depuis hier soir",
    "il demande si son traitement peut être pris avec un antibiotique",
    "elle voudrait avancer son rendez-vous",
    "il a reçu ses résultats et s'inquiète d'une valeur hors normes",
    "elle demande un arrêt de travail",
    "il souhaite une ordonnance pour des séances de kinésithérapie",
)

GREETINGS_COLLEAGUE = ("Cher confrère,", "Chère consœur,", "Bonjour,", "Cher ami,")
GREETINGS_FORMAL = ("Cher confrère,", "Chère consœur,", "Madame, Monsieur,")
CLOSINGS = (
    "Bien confraternellement,",
    "Bien cordialement,",
    "Confraternellement,",
    "Avec mes remerciements,",
    "Bien à toi,",
)
THANKS = (
    "Merci pour ce retour rapide, je revois le patient la semaine prochaine.",
    "Merci beaucoup pour cette prise en charge. J'ai bien noté les modifications du traitement.",
    "Merci, c'est très clair. Je transmets à l'infirmier pour le suivi.",
    "Parfait, merci. Je lui ai expliqué la suite par téléphone.",
)

# Lab and imaging reports from outside: (sujet, corps court)
LAB_NAMES = ("Laboratoire Biolyon", "Laboratoire des Brotteaux", "Biofusion Rhône")
IMAGING_NAMES = (
    "Centre d'imagerie Bellecour",
    "Cabinet de radiologie de la Part-Dieu",
    "Imagerie médicale Lyon Est",
)

DRUGS = (
    "Lévothyroxine 75 µg",
    "Ramipril 5 mg",
    "Bisoprolol 2,5 mg",
    "Metformine 1000 mg",
    "Amlodipine 5 mg",
    "Atorvastatine 20 mg",
    "Pantoprazole 20 mg",
    "Sertraline 50 mg",
    "Tamsulosine 0,4 mg",
)

OUTSIDE_SUBJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    # For the other demo accounts' lighter inboxes: (sujet, corps).
    "cardio": (
        (
            "Demande de consultation",
            "Je vous adresse {patient} pour un avis sur un souffle "
            "systolique découvert à l'examen. Échographie de l'an dernier jointe.",
        ),
        (
            "Holter ECG",
            "Résultats du Holter de {patient} : extrasystoles ventriculaires "
            "isolées, pas de trouble conductif.",
        ),
        ("Staff de cardiologie", "Le staff de jeudi est décalé à 8 h 30 en salle 3."),
        (
            "Avis préopératoire",
            "Pouvez-vous donner un avis avant une chirurgie de la "
            "cataracte chez {patient}, sous apixaban ?",
        ),
    ),
    "dermato": (
        (
            "Demande de téléexpertise",
            "Lésion érythémateuse du visage chez {patient}, photos jointes. Qu'en pensez-vous ?",
        ),
        (
            "Résultat d'anatomopathologie",
            "Exérèse cutanée de {patient} : carcinome "
            "basocellulaire nodulaire, exérèse complète, marges saines.",
        ),
        (
            "Réunion de concertation",
            "La RCP de dermato-oncologie aura lieu mardi à 17 h en visioconférence.",
        ),
    ),
    "pharma": (
        (
            "Sortie d'hospitalisation",
            "{patient} sort demain ; vous trouverez l'ordonnance "
            "de sortie jointe pour préparation.",
        ),
        (
            "Alerte de pharmacovigilance",
            "Rappel de lot sur un collyre : vérifiez vos stocks "
            "et informez les patients concernés.",
        ),
        (
            "Demande de préparation",
            "Pouvez-vous préparer les piluliers de {patient} pour les deux prochaines semaines ?",
        ),
    ),
    "nurse": (
        (
            "Sortie d'hospitalisation",
            "{patient} rentre à domicile ce jour ; pansement de "
            "la cicatrice tous les deux jours, ordonnance jointe.",
        ),
        (
            "Soins palliatifs",
            "L'équipe mobile de soins palliatifs passera mardi chez "
            "{patient} ; pouvez-vous être présent ?",
        ),
        ("Remplacement", "Je vous remplace la semaine prochaine, voici les tournées modifiées."),
    ),
    "secretary": (
        (
            "Rendez-vous confirmé",
            "Le rendez-vous de {patient} en cardiologie est confirmé "
            "pour le 3 à 10 h 15, merci de le prévenir.",
        ),
        (
            "Compte rendu en attente",
            "Le compte rendu d'hospitalisation de {patient} sera "
            "envoyé par la messagerie sécurisée cette semaine.",
        ),
        (
            "Convocation",
            "Convocation de {patient} pour une IRM : merci de lui transmettre "
            "les consignes de préparation.",
        ),
    ),
}

LONG_THREAD: tuple[tuple[str, str], ...] = (
    # (expéditeur: "gp" | "nurse" | "other", texte) — a wound followed at home over weeks.
    (
        "nurse",
        "Bonjour Docteur,\n\nPremière visite chez {patient} : ulcère veineux de la "
        "malléole interne gauche, 4 × 3 cm, fibrineux, exsudat modéré. Je propose un pansement "
        "hydrocellulaire et une compression. Pouvez-vous prescrire les soins ?",
    ),
    (
        "gp",
        "Bonjour,\n\nMerci. Prescription de soins jointe. J'ai demandé un doppler veineux "
        "et un avis au Dr {other} qui suit la patiente.",
    ),
    (
        "other",
        "Bonjour,\n\nJe verrai {patient} jeudi. En attendant, compression à 30 mmHg "
        "si l'IPS est supérieur à 0,9.",
    ),
    ("nurse", "IPS mesuré à 1,0 des deux côtés. Je mets la compression en place demain."),
    ("gp", "Parfait, merci à tous les deux."),
    (
        "other",
        "Doppler fait : insuffisance de la grande veine saphène gauche. Je propose "
        "une discussion d'un traitement endoveineux à distance de la cicatrisation.",
    ),
    (
        "nurse",
        "Plaie en nette amélioration : 3 × 2 cm, bourgeonnement rouge. La patiente "
        "supporte bien la compression.",
    ),
    ("gp", "Très bien. Je renouvelle la prescription pour un mois."),
    (
        "nurse",
        "Petite alerte : rougeur péri-lésionnelle et douleur depuis hier, pas de "
        "fièvre. Pouvez-vous passer la voir ?",
    ),
    (
        "gp",
        "Vue ce midi : dermite de contact probable au pansement. Arrêt de "
        "l'hydrocellulaire, pansement à l'interface et dermocorticoïde autour.",
    ),
    ("nurse", "Nette amélioration en 48 h, merci. La plaie mesure maintenant 1,5 × 1 cm."),
    (
        "other",
        "Merci pour les nouvelles. Je reverrai {patient} dans trois mois pour le "
        "traitement de la saphène.",
    ),
)
