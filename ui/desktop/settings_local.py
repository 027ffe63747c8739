"""The settings' cards about this computer: the room documents take offline and how many days of
received documents are downloaded ahead, what a notification may show, and the lock after
inactivity.

A lower document budget is applied at once when an account is open (the least recently opened
documents leave the cache: the dialog does it on OK); without one, at the next login. Notifications
say nothing of the patient unless the user allows it, since others may see the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox

from app import settings as settings_mod
from app.dates import hours_minutes
from app.session import AccountSession
from app.settings import Settings
from app.units import MIB, file_size
from ui.desktop.settings_card import SettingsCard, check_row, field_row, hint
from ui.plain import PlainLabel

MAX_BUDGET_MB = 100_000
MAX_DAYS = 3650
AUTOLOCK_PRESETS = (15, 30, 60, 120, 240)  # minutes; 2 h is the MSSanté reference's default
DEFAULT_AUTOLOCK = 120
TRACES_PRESETS = (91, 182, 365, 1095, 3650)  # days: 3 months … 10 years; a year by default
DEFAULT_TRACES_DAYS = 365


class DocumentsCard(SettingsCard):
    """ "Documents hors connexion": the budget, and what documents take now (with an account)."""

    def __init__(self, current: Settings, session: AccountSession | None) -> None:
        super().__init__("settings-documents", self.tr("Documents hors connexion"))
        self._session = session
        self.budget_spin = QSpinBox()
        self.budget_spin.setObjectName("budgetSpin")
        minimum = settings_mod.BY_NAME["cache_budget_mb"].minimum or 1
        self.budget_spin.setRange(minimum, MAX_BUDGET_MB)
        self.budget_spin.setSingleStep(50)
        self.budget_spin.setSuffix(" Mo")
        self.budget_spin.setGroupSeparatorShown(True)
        self.budget_spin.setMinimumWidth(140)
        self.body.addLayout(field_row(self.tr("Place réservée aux documents"), self.budget_spin))
        self.days_spin = QSpinBox()
        self.days_spin.setObjectName("offlineDaysSpin")
        self.days_spin.setRange(settings_mod.BY_NAME["offline_days"].minimum or 1, MAX_DAYS)
        self.days_spin.setSuffix(self.tr(" jours"))
        self.days_spin.setMinimumWidth(140)
        self.days_spin.setValue(max(current.offline_days, self.days_spin.minimum()))
        self.body.addLayout(
            field_row(self.tr("Télécharger à l'avance les documents reçus depuis"), self.days_spin)
        )
        self.usage_label = PlainLabel()
        self.usage_label.setObjectName("usageLabel")
        self.body.addWidget(self.usage_label)
        if session is not None:
            rule = self.tr(
                "Gardés chiffrés sur cet ordinateur pour rester consultables hors connexion, "
                "les plus récents d'abord. Au-delà de la place réservée, les plus anciens "
                "sont retirés dès l'enregistrement (téléchargés de nouveau au besoin)."
            )
        else:
            rule = self.tr(
                "Gardés chiffrés sur cet ordinateur pour rester consultables hors connexion. "
                "La nouvelle place s'applique à la prochaine connexion."
            )
        self.body.addWidget(hint(rule))
        self.budget_spin.setValue(max(current.cache_budget_mb, self.budget_spin.minimum()))
        self.budget_spin.valueChanged.connect(self._describe_usage)
        self._describe_usage()

    def changes(self) -> dict[str, object]:
        return {"cache_budget_mb": self.budget_spin.value(), "offline_days": self.days_spin.value()}

    def _describe_usage(self) -> None:
        if self._session is None:
            self.usage_label.hide()
            return
        used = self._session.documents_used_bytes()
        budget = self.budget_spin.value() * MIB
        self.usage_label.setText(
            self.tr("Utilisé actuellement : {used} sur {budget}.").format(
                used=file_size(used), budget=file_size(budget)
            )
        )
        self.usage_label.setProperty("over", used > budget)
        self.usage_label.style().polish(self.usage_label)


class NotificationsCard(SettingsCard):
    """ "Notifications": whether they may name the patient and the subject (off by default)."""

    def __init__(self, current: Settings) -> None:
        super().__init__("settings-bell", self.tr("Notifications"))
        self.patient_names_check = QCheckBox()
        self.patient_names_check.setObjectName("patientNamesCheck")
        self.body.addLayout(
            check_row(
                self.tr("Afficher le nom des patients et l'objet dans les notifications"),
                self.patient_names_check,
            )
        )
        self.body.addWidget(
            hint(
                self.tr(
                    "Désactivé par défaut : l'écran peut être vu par d'autres personnes, patients "
                    "ou collègues. La notification dit alors seulement qu'un message est arrivé."
                )
            )
        )
        self.patient_names_check.setChecked(current.notify_patient_names)

    def changes(self) -> dict[str, object]:
        return {"notify_patient_names": self.patient_names_check.isChecked()}


class SecurityCard(SettingsCard):
    """ "Sécurité": the lock after inactivity (a value set elsewhere than the presets is kept)."""

    def __init__(self, current: Settings) -> None:
        super().__init__("settings-lock", self.tr("Sécurité"))
        self.autolock_combo = QComboBox()
        self.autolock_combo.setObjectName("autolockCombo")
        self.autolock_combo.setMinimumWidth(140)
        for minutes in AUTOLOCK_PRESETS:
            self.autolock_combo.addItem(hours_minutes(minutes), minutes)
        self.body.addLayout(
            field_row(self.tr("Verrouillage après inactivité"), self.autolock_combo)
        )
        self.body.addWidget(
            hint(
                self.tr(
                    "Sans activité pendant ce délai, MonSisra se verrouille et redemande votre mot "
                    "de passe. Vos brouillons sont conservés."
                )
            )
        )
        index = self.autolock_combo.findData(current.autolock_minutes)
        if index < 0:  # a value set elsewhere than the presets: kept and shown as it is
            self.autolock_combo.addItem(
                hours_minutes(current.autolock_minutes), current.autolock_minutes
            )
            index = self.autolock_combo.count() - 1
        self.autolock_combo.setCurrentIndex(index)
        # Issue 14 §5: how long the trace of mailbox actions is kept (older ones are deleted).
        self.traces_combo = QComboBox()
        self.traces_combo.setObjectName("tracesKeepCombo")
        self.traces_combo.setMinimumWidth(140)
        for days in TRACES_PRESETS:
            self.traces_combo.addItem(self._period(days), days)
        self.body.addLayout(field_row(self.tr("Conserver les traces"), self.traces_combo))
        self.body.addWidget(
            hint(
                self.tr(
                    "Les traces de la messagerie (envois, réceptions, lectures, déplacements, "
                    "suppressions) sont gardées chiffrées sur cet ordinateur pendant cette durée."
                )
            )
        )
        index = self.traces_combo.findData(current.traces_keep_days)
        if index < 0:  # a value set elsewhere than the presets: kept and shown as it is
            self.traces_combo.addItem(
                self._period(current.traces_keep_days), current.traces_keep_days
            )
            index = self.traces_combo.count() - 1
        self.traces_combo.setCurrentIndex(index)

    def _period(self, days: int) -> str:
        names = {
            91: self.tr("3 mois"),
            182: self.tr("6 mois"),
            365: self.tr("1 an"),
            1095: self.tr("3 ans"),
            3650: self.tr("10 ans"),
        }
        return names.get(days) or self.tr("{days} jours").format(days=days)

    def changes(self) -> dict[str, object]:
        minutes = self.autolock_combo.currentData()
        days = self.traces_combo.currentData()
        return {
            "autolock_minutes": minutes if isinstance(minutes, int) else DEFAULT_AUTOLOCK,
            "traces_keep_days": days if isinstance(days, int) else DEFAULT_TRACES_DAYS,
        }
