"""The login window's form, as it is shown: the card with the server, identifiant and password
fields, "Se souvenir de moi", the buttons, the banners, the busy bar and the demo hint.

A view only: LoginWindow (ui/login/window.py) gives it its behaviour (the server probe, the
attempt, the throttle), and the locked window (ui/login/locked.py) its lock banner and button word.
The form keeps its widgets as attributes so that both, and the tests, reach them by name."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.about import window_title
from app.settings import Settings
from ui import theme
from ui.login.banners import Banner, DemoHint, WrappedText
from ui.login.psc import PscPanel
from ui.plain import PlainLabel, RichLabel


class LoginForm(QWidget):
    """The login card centred in its window, with the footer under it."""

    settingsRequested = Signal()  # "Paramètres…": the controller opens the settings dialog
    aboutRequested = Signal()  # "À propos": the controller opens the About dialog

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginWindow")
        self.setWindowTitle(window_title(self.tr("Connexion")))
        self.setWindowIcon(theme.app_icon())
        # No fixed minimum: the layout's, so that the window grows when a long sentence shows.
        self.resize(960, 720)
        self._build()

    def fill(self, current: Settings, demo_hint: DemoHint | None) -> None:
        """The saved server, identifiant and choice; the demo account when there is one; and
        the files this installation misses, if any."""
        missing = theme.missing_resources()
        if missing:
            self.resources_banner.say(
                self.tr(
                    "Fichiers de l'application manquants : {files}. Réinstallez MonSisra bureau."
                ).format(files=", ".join(missing))
            )
        self.server_edit.setText(current.server_url)
        self.login_edit.setText(current.last_login)
        self.remember_box.setChecked(current.remember_me)
        if demo_hint is not None:
            self.login_edit.setText(demo_hint.login)
            self.password_edit.setText(demo_hint.password)
            self.demo_label.set_markup(
                self.tr("Compte de démonstration :<br><b>{login}</b> / <b>{password}</b>"),
                login=demo_hint.login,
                password=demo_hint.password,
            )
            self.demo_label.show()

    def submit_label(self) -> str:
        """The button's word while the server answers (the locked window says "Déverrouiller")."""
        return self.tr("Se connecter")

    def show_busy(self, busy: bool) -> None:
        """The busy bar and its sentence, in the room kept for them."""
        self.progress.setVisible(busy)
        self.busy_label.setVisible(busy)

    def _build(self) -> None:
        card = QFrame()
        card.setObjectName("loginCard")
        card.setFixedWidth(432)
        form = QVBoxLayout(card)
        form.setContentsMargins(32, 32, 32, 24)
        form.setSpacing(8)

        header = QHBoxLayout()
        header.setSpacing(16)
        logo = PlainLabel()
        logo.setObjectName("loginLogo")
        logo.setPixmap(theme.app_icon().pixmap(QSize(56, 56)))
        titles = QVBoxLayout()
        titles.setSpacing(0)
        title = PlainLabel(self.tr("MonSisra"))
        title.setObjectName("loginTitle")
        subtitle = PlainLabel(self.tr("Messagerie sécurisée de santé"))
        subtitle.setObjectName("loginSubtitle")
        titles.addWidget(title)
        titles.addWidget(subtitle)
        # Before any account is open, what a connection needs: the server, the extra authorities.
        self.settings_button = QPushButton(self.tr("Paramètres"))
        self.settings_button.setObjectName("loginSettingsButton")
        self.settings_button.setProperty("link", True)
        self.settings_button.setIcon(theme.icon("settings"))
        self.settings_button.setToolTip(self.tr("Paramètres de connexion : serveur, certificats"))
        self.settings_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.settings_button.setAutoDefault(False)
        self.settings_button.clicked.connect(self.settingsRequested)
        self.about_button = QPushButton(self.tr("À propos"))
        self.about_button.setObjectName("loginAboutButton")
        self.about_button.setProperty("link", True)
        self.about_button.setIcon(theme.icon("info"))
        self.about_button.setToolTip(
            self.tr("Version, licences et dossier des données de MonSisra bureau")
        )
        self.about_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.about_button.setAutoDefault(False)
        self.about_button.clicked.connect(self.aboutRequested)
        header.addWidget(logo)
        header.addLayout(titles, 1)
        form.addLayout(header)
        form.addSpacing(16)

        # What happened before this window came back ("Vous êtes déconnecté(e)…").
        self.notice_banner = Banner("info", "info")
        self.notice_banner.setObjectName("noticeBanner")
        self.offline_banner = Banner("offline", "offline")
        self.error_banner = Banner("error", "warning")
        # An installation without its style sheets, icons or translations still runs, unstyled:
        # the user is told to reinstall (theme.missing_resources; logged at start too).
        self.resources_banner = Banner("error", "warning")
        self.resources_banner.setObjectName("resourcesBanner")
        form.addWidget(self.resources_banner)
        form.addWidget(self.notice_banner)
        form.addWidget(self.offline_banner)
        form.addWidget(self.error_banner)

        self.server_edit = QLineEdit()
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText("https://…")
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("loginEdit")
        self.login_edit.setPlaceholderText(self.tr("prenom.nom"))
        self.password_edit = QLineEdit()
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        for label, edit, icon in (
            (self.tr("Serveur"), self.server_edit, "server"),
            (self.tr("Identifiant"), self.login_edit, "user"),
            (self.tr("Mot de passe"), self.password_edit, "lock"),
        ):
            caption = PlainLabel(label)
            caption.setObjectName("fieldLabel")
            if edit is self.password_edit:
                self.password_caption = caption  # "Phrase de déverrouillage" for a PSC account
            caption.setBuddy(edit)
            edit.addAction(theme.icon(icon), QLineEdit.ActionPosition.LeadingPosition)
            edit.setMinimumHeight(36)
            form.addWidget(caption)
            form.addWidget(edit)
            if edit is self.server_edit:
                self.server_error = PlainLabel()
                self.server_error.setObjectName("fieldError")
                self.server_error.setWordWrap(True)
                self.server_error.hide()
                form.addWidget(self.server_error)
            form.addSpacing(4)

        self.remember_box = QCheckBox(self.tr("Se souvenir de moi"))
        self.remember_box.setToolTip(
            self.tr(
                "Garde la session ouverte sur cet ordinateur (dans le trousseau du système). "
                "Votre mot de passe reste demandé pour déverrouiller vos données."
            )
        )
        options = QHBoxLayout()
        options.addWidget(self.remember_box)
        options.addStretch(1)
        options.addWidget(self.about_button)
        options.addWidget(self.settings_button)
        form.addLayout(options)
        # Said before login, not after: without a keyring "Se souvenir de moi" cannot work.
        self.keyring_note = WrappedText(
            self.tr(
                "Aucun trousseau sécurisé n'est disponible : la connexion ne peut pas être "
                "mémorisée, votre mot de passe sera demandé à chaque lancement. Installez ou "
                "déverrouillez le trousseau de votre session (GNOME Keyring, KWallet…), puis "
                "relancez MonSisra bureau."
            )
        )
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.hide()
        form.addWidget(self.keyring_note)
        form.addSpacing(8)

        self.submit_button = QPushButton(self.submit_label())
        self.submit_button.setObjectName("submitButton")
        self.submit_button.setProperty("primary", True)
        self.submit_button.setDefault(True)
        self.submit_button.setMinimumHeight(40)
        form.addWidget(self.submit_button)
        self.offline_button = QPushButton(self.tr("Ouvrir hors ligne malgré tout"))
        self.offline_button.setObjectName("offlineButton")
        self.offline_button.setProperty("link", True)
        self.offline_button.setAutoDefault(False)
        self.offline_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.offline_button.setToolTip(
            self.tr(
                "Ouvre les messages enregistrés sur cet ordinateur sans rien envoyer à ce serveur. "
                "La connexion est retentée régulièrement, avec les mêmes vérifications."
            )
        )
        self.offline_button.hide()
        form.addWidget(self.offline_button, 0, Qt.AlignmentFlag.AlignHCenter)
        # Pro Santé Connect (issue 15): shown once the server says it offers it.
        self.psc_panel = PscPanel()
        self.psc_panel.hide()
        form.addWidget(self.psc_panel)
        self.psc_note = WrappedText(
            self.tr(
                "Compte Pro Santé Connect : hors connexion, déverrouillez avec votre phrase de "
                "déverrouillage (celle choisie à votre première connexion sur cet ordinateur)."
            )
        )
        self.psc_note.setObjectName("pscNote")
        self.psc_note.setWordWrap(True)
        self.psc_note.hide()
        form.addWidget(self.psc_note)

        self.progress = QProgressBar()
        self.progress.setObjectName("busyBar")
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.busy_label = PlainLabel(self.tr("Connexion et déverrouillage de vos données…"))
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Room kept for the busy bar so that the card does not jump when it appears.
        busy_box = QWidget()
        busy_layout = QVBoxLayout(busy_box)
        busy_layout.setContentsMargins(0, 4, 0, 0)
        busy_layout.setSpacing(4)
        busy_layout.addWidget(self.progress)
        busy_layout.addWidget(self.busy_label)
        busy_box.setFixedHeight(28)
        form.addWidget(busy_box)
        self.show_busy(False)

        self.demo_label = RichLabel()
        self.demo_label.setObjectName("demoHint")
        self.demo_label.setWordWrap(True)
        self.demo_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_label.hide()
        form.addWidget(self.demo_label)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #e4e8ec;")
        form.addSpacing(8)
        form.addWidget(line)
        register_row = QHBoxLayout()
        register_row.setSpacing(8)
        no_account = PlainLabel(self.tr("Pas encore d'identifiants ?"))
        no_account.setObjectName("loginSubtitle")
        self.register_button = QPushButton(self.tr("Créer un compte Sara"))
        self.register_button.setObjectName("registerButton")
        self.register_button.setProperty("link", True)
        self.register_button.setIcon(theme.icon("external-link"))
        self.register_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.register_button.setAutoDefault(False)
        register_row.addWidget(no_account)
        register_row.addWidget(self.register_button)
        register_row.addStretch(1)
        form.addLayout(register_row)

        footer = PlainLabel(self.tr("MonSisra bureau · messagerie MSSanté de votre région"))
        footer.setObjectName("loginFooter")
        footer.setAlignment(Qt.AlignmentFlag.AlignCenter)

        # Centred by stretches, not by an alignment flag: an aligned widget gets its size hint,
        # so the word-wrapped banners would be cut instead of taking the lines they need.
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(card)
        centred.addStretch(1)
        # In a scroll area: banners take the lines they need even when the screen is shorter
        # than the card (two banners on a laptop): the card scrolls instead of being squeezed by
        # a window manager that will not make the window taller than the screen.
        self.content = QWidget()
        self.content.setObjectName("loginContent")
        outer = QVBoxLayout(self.content)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.addStretch(1)
        outer.addLayout(centred)
        outer.addSpacing(16)
        outer.addWidget(footer)
        outer.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("loginScroll")
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(self.content)
        window = QVBoxLayout(self)
        window.setContentsMargins(0, 0, 0, 0)
        window.addWidget(self.scroller)
