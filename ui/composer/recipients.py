"""The À and Cc fields: chips for the chosen recipients, and completion as the user types.

Proposals come from what is at hand first (favorites, recent correspondents, the patient's care
team — "les acteurs du dossier") and then from the directory, matched and ranked as
`ui/composer/candidates.py` says (the most written-to first). Typing is debounced (250 ms) and a
new keystroke cancels the directory search still running for the previous text, so that a slow
answer never overwrites the proposals for what is typed now.

What is at hand is read once per field, at the first keystroke, in a worker thread
(`session.at_hand`: it counts the Sent mailbox, 40-70 ms with 10,000 sent messages, a stall if the
UI thread waited for it while the user types); it joins the proposals when it arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QKeyEvent,
    QPainter,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QCompleter,
    QFrame,
    QLineEdit,
    QListView,
    QScrollArea,
    QStyle,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app import settings
from app.records import Address, AtHand, DirectoryQuery, Near
from app.session import AccountSession
from app.trust.space import Verdict
from ui import palette, tasks, theme
from ui.card_delegate import CardDelegate, CardFonts, paint_line
from ui.composer import trust
from ui.composer.candidates import (
    CARE_TEAM,
    DIRECTORY,
    Candidate,
    at_hand,
    from_correspondent,
    looks_like_address,
    matches,
    merge,
)
from ui.composer.chips import Chip, FlowLayout
from ui.plain import VisibleOnly, plain_text

log = logging.getLogger("monsisra.ui.composer")

DEBOUNCE_MS = 250
DIRECTORY_MIN_CHARS = 2
DIRECTORY_COUNT = 10
MAX_WORDS = 3  # up to this many words, each is also tried as a specialty or service
RECENTS = 20  # recent correspondents matched as the user types
NEAR_KM = 1000.0  # "near" only sorts by distance here: all of France is in range
CANDIDATE_ROLE = Qt.ItemDataRole.UserRole + 1
# The field grows with its chips up to this many lines, then scrolls: the body keeps its room in a
# small window, and the line one types in stays in view (at the bottom, after the chips).
MAX_VISIBLE_LINES = 3


class CandidateDelegate(CardDelegate[Candidate]):
    """Paints a proposal on two lines, in the popup's font: the name, then
    address · detail · source. Two text lines high, on white (tinted when selected)."""

    record_type = Candidate
    role = CANDIDATE_ROLE
    min_width = 360
    antialiased = False

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(self.min_width, 2 * option.fontMetrics.height() + 16)

    def paint_background(self, painter: QPainter, option: QStyleOptionViewItem) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.fillRect(option.rect, palette.SELECTED if selected else palette.WHITE)

    def paint_card(
        self, painter: QPainter, rect: QRect, record: Candidate, fonts: CardFonts
    ) -> None:
        name_font = QFont(fonts.base)
        name_font.setWeight(QFont.Weight.DemiBold)
        half = rect.height() // 2
        name = record.name or record.email
        paint_line(painter, rect.adjusted(12, 6, -12, -half), name, name_font, palette.TEXT)
        line = " · ".join(p for p in (record.email, record.detail, record.source) if p)
        paint_line(painter, rect.adjusted(12, half, -12, -6), line, fonts.base, palette.MUTED)


class RecipientField(QFrame):
    """Chips plus a line edit; `changed` whenever the recipients change."""

    changed = Signal()

    def __init__(self, session: AccountSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("recipientField")
        self.care_team: list[Candidate] = []
        self.candidates: list[Candidate] = []
        # Favorites, recents and the counts of messages I wrote to each (session.at_hand), once
        # read; `_at_hand_read` while reading.
        self.at_hand: AtHand | None = None
        self._at_hand_read: asyncio.Future[AtHand | None] | None = None
        self._found: tuple[str, list[Candidate]] = ("", [])  # the directory's, for that text
        self.last_error: str | None = None
        self._recipients: list[Address] = []
        self._chips: list[Chip] = []
        self._search: asyncio.Future[list[Candidate] | None] | None = None

        # The chips and the line edit flow in a scroll area: a fixed field height clipped the
        # typing line under the chips in a narrow window.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("recipientScroll")
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.viewport().setAutoFillBackground(False)
        self.content = QWidget()
        self.content.setObjectName("recipientContent")
        self.content.setAutoFillBackground(False)
        self.flow = FlowLayout(self.content)
        self.flow.setContentsMargins(6, 4, 6, 4)
        self.scroll_area.setWidget(self.content)
        outer.addWidget(self.scroll_area)
        # The typing line is last: kept in view whenever the chips change the height.
        bar = self.scroll_area.verticalScrollBar()
        bar.rangeChanged.connect(lambda _low, high: bar.setValue(high))
        self.line_edit = QLineEdit()
        self.line_edit.setObjectName("recipientInput")
        self.line_edit.setFrame(False)
        self.line_edit.setMinimumWidth(220)
        self.line_edit.setValidator(VisibleOnly(self.line_edit))  # no address holds invisibles
        self.line_edit.setPlaceholderText(self.tr("Nom ou adresse MSSanté"))
        self.flow.addWidget(self.line_edit)
        self.content.installEventFilter(self)  # its layout's requests: chips restyled, wrapped

        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setWidget(self.line_edit)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(8)
        self.popup = QListView()
        self.popup.setObjectName("recipientPopup")
        self.popup.setUniformItemSizes(True)
        self.completer.setPopup(self.popup)
        # After setPopup, which puts its own delegate on the view.
        self.popup.setItemDelegate(CandidateDelegate(self.popup))
        self.completer.activated[QModelIndex].connect(self._activated)  # type: ignore[index]

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._propose)
        self.line_edit.textEdited.connect(self._edited)
        self.line_edit.returnPressed.connect(self.commit_typed)
        self.line_edit.installEventFilter(self)

    # Recipients --------------------------------------------------------------------------------

    def recipients(self) -> list[Address]:
        return list(self._recipients)

    def set_recipients(self, addresses: Iterable[Address]) -> None:
        for chip in self._chips:
            self.flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._chips.clear()
        self._recipients.clear()
        for address in addresses:
            self.add(address, notify=False)
        self._fit()
        self.changed.emit()

    def add(self, address: Address, notify: bool = True) -> bool:
        """Adds a chip; False when that address is already there."""
        if any(a.email.casefold() == address.email.casefold() for a in self._recipients):
            return False
        self._recipients.append(address)
        chip = Chip(address.name or address.email, address.email if address.name else "")
        chip.removed.connect(lambda a=address: self.remove(a.email))
        trust.mark(chip, address.email, self.session.trust_space)
        self._chips.append(chip)
        self.flow.insertWidget(len(self._chips) - 1, chip)
        chip.show()  # now, not when Qt's queued show comes: _fit measures the shown chips
        chip.tab_before(self.line_edit)
        self._fit()
        if notify:
            self.changed.emit()
        return True

    def remove(self, email: str) -> None:
        for i, address in enumerate(self._recipients):
            if address.email.casefold() == email.casefold():
                del self._recipients[i]
                chip = self._chips.pop(i)
                self.flow.removeWidget(chip)
                chip.hide()
                chip.deleteLater()
                self._fit()
                self.changed.emit()
                return

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """The height of every line of chips, up to MAX_VISIBLE_LINES; more scroll."""
        width = self.scroll_area.viewport().width() or self.width()
        needed = self.flow.heightForWidth(max(width, 1))
        heights = [w.sizeHint().height() for w in (self.line_edit, *self._chips)]
        line = max(heights)
        margins = self.flow.contentsMargins()
        cap = MAX_VISIBLE_LINES * (line + self.flow.spacing()) + margins.top() + margins.bottom()
        self.scroll_area.setFixedHeight(min(needed, cap))
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if needed > cap
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.scroll_area.setVerticalScrollBarPolicy(policy)
        self.updateGeometry()

    def outside_trust_space(self) -> list[str]:
        """The recipients outside the trust space, their chips marked again from the list of
        now (it may have arrived or changed since they were added)."""
        space = self.session.trust_space
        pairs = zip(self._recipients, self._chips, strict=True)
        return [a.email for a, c in pairs if trust.mark(c, a.email, space) is Verdict.OUTSIDE]

    def pending_text(self) -> str:
        return self.line_edit.text().strip()

    def commit_typed(self) -> bool:
        """The typed text becomes a chip when it looks like an address."""
        text = self.pending_text().strip(",; ")
        if not looks_like_address(text):
            return False
        self.add(Address(None, text))
        self.line_edit.clear()
        self._hide_proposals()
        return True

    def accept_candidate(self, candidate: Candidate) -> None:
        self.add(candidate.address)
        self.line_edit.clear()
        self._hide_proposals()

    # Completion --------------------------------------------------------------------------------

    def _edited(self, _text: str) -> None:
        self._cancel_search()
        self.load_at_hand()
        self._debounce.start()

    def load_at_hand(self, then: Callable[[], None] | None = None) -> asyncio.Future[AtHand | None]:
        """Reads what is at hand in a worker thread, once, then calls `then()` (at once if read)."""
        if self._at_hand_read is None:
            self._at_hand_read = tasks.run(
                self.session.at_hand(RECENTS), self, self._at_hand_arrived, key="at_hand"
            )
        if then is not None:
            if self.at_hand is not None:
                then()
            else:
                self._at_hand_read.add_done_callback(
                    lambda _f: then() if self.at_hand is not None and tasks.alive(self) else None
                )
        return self._at_hand_read

    def _at_hand_arrived(self, found: AtHand) -> None:
        self.at_hand = found
        typed = self.pending_text()
        if len(typed) >= DIRECTORY_MIN_CHARS and not self._debounce.isActive():
            self._show_for(typed)  # proposed before it came: it joins them

    def _cancel_search(self) -> None:
        if self._search is not None and not self._search.done():
            self._search.cancel()
        self._search = None

    @property
    def counts(self) -> dict[str, int]:
        """Messages I wrote to each address (lower-case), once read."""
        return self.at_hand.counts if self.at_hand is not None else {}

    def local_candidates(self, typed: str) -> list[Candidate]:
        """The care team, and the favorites and recents once read (`load_at_hand`), that match
        `typed`, the most written-to first. Reads nothing."""
        local = [*self.care_team, *at_hand(self.at_hand, RECENTS)]
        return merge((c for c in local if matches(c, typed)), counts=self.counts)

    def _show_for(self, typed: str) -> None:
        """What is at hand and the directory's answer for `typed` (if it came), ranked."""
        found = self._found[1] if self._found[0] == typed else []
        self._show(merge(self.local_candidates(typed), found, counts=self.counts))

    def _propose(self) -> None:
        typed = self.pending_text()
        if len(typed) < DIRECTORY_MIN_CHARS:
            self._show([])
            return
        self._show_for(typed)
        self._search = tasks.run(
            self._directory(typed),
            self,
            lambda found: self._directory_done(typed, found),
            self._directory_failed,
            key="directory",
        )

    async def _directory(self, typed: str) -> list[Candidate]:
        """The directory's people matching every typed word. Its name search takes the words of
        names only: with several words, one of them may be a specialty, a service or a place
        ("benali cardio"), so each is also tried as the free text (`_text`) with the others as
        the name, all at once; the directory requires every word in each search."""
        words = typed.split()
        place = settings.current().practice_location
        near = Near(place.lat, place.lon, NEAR_KM) if place is not None else None
        queries = [DirectoryQuery(name=typed, near=near, count=DIRECTORY_COUNT)]
        if 1 < len(words) <= MAX_WORDS:
            queries += [
                DirectoryQuery(
                    name=" ".join(words[:i] + words[i + 1 :]),
                    text=word,
                    near=near,
                    count=DIRECTORY_COUNT,
                )
                for i, word in enumerate(words)
            ]
        pages = await asyncio.gather(*(self.session.search_directory(q) for q in queries))
        return [
            c
            for page in pages
            for person in page.correspondents
            if (c := from_correspondent(person))
        ]

    def _directory_done(self, typed: str, found: list[Candidate]) -> None:
        if typed != self.pending_text():
            return
        self.last_error = None
        self._found = (typed, found)
        self._show_for(typed)

    def _directory_failed(self, message: str) -> None:
        # Offline or directory down: the local proposals stay; no dialog while typing.
        self.last_error = message
        log.info("directory completion unavailable")

    def _show(self, candidates: list[Candidate]) -> None:
        self.candidates = candidates
        self.model.clear()
        for candidate in candidates:
            item = QStandardItem(plain_text(candidate.name or candidate.email))
            item.setData(candidate, CANDIDATE_ROLE)
            item.setEditable(False)
            self.model.appendRow(item)
        if not candidates:
            self.popup.hide()
            return
        if self.line_edit.isVisible():
            rect = self.line_edit.rect()
            rect.setWidth(max(420, rect.width()))
            self.completer.complete(rect)

    def _hide_proposals(self) -> None:
        self._debounce.stop()
        self._cancel_search()
        self.candidates = []
        self.model.clear()
        self.popup.hide()

    def _activated(self, index: QModelIndex) -> None:
        candidate = index.data(CANDIDATE_ROLE)
        if isinstance(candidate, Candidate):
            # Deferred: QCompleter finishes its own handling of the key or click first.
            QTimer.singleShot(0, lambda: self.accept_candidate(candidate))

    # Keys: "," and ";" end an address, Backspace (field empty) removes the last chip, Escape
    # closes the proposals only ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self._fit()  # the chips' sizes changed (their style came, a warning, a removal)
            return super().eventFilter(watched, event)
        if (
            watched is self.line_edit
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.ShortcutOverride
            and event.key() == Qt.Key.Key_Escape
            and self.popup.isVisible()
        ):
            # Escape is for the open proposals (the completer closes them), not the window's
            # shortcut (Escape closes the composer): asked first, the field claims the key.
            event.accept()
            return True
        if (
            watched is self.line_edit
            and isinstance(event, QKeyEvent)
            and (event.type() == QEvent.Type.KeyPress)
        ):
            key = event.key()
            if key in (Qt.Key.Key_Comma, Qt.Key.Key_Semicolon) and self.commit_typed():
                return True
            if key == Qt.Key.Key_Backspace and not self.line_edit.text() and self._recipients:
                self.remove(self._recipients[-1].email)
                return True
            if key == Qt.Key.Key_Down and not self.popup.isVisible():
                self.load_at_hand(self._show_all)
                return True
        if watched is self.line_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_typed()
        if watched is self.line_edit and event.type() in (
            QEvent.Type.FocusIn,
            QEvent.Type.FocusOut,
        ):
            # The field's frame shows where the keyboard is (its line edit has no frame).
            theme.restyle(self, focused=event.type() == QEvent.Type.FocusIn)
            if event.type() == QEvent.Type.FocusIn:  # Tab into a field scrolled up to a chip
                bar = self.scroll_area.verticalScrollBar()
                bar.setValue(bar.maximum())  # the typing line is the last line
        return super().eventFilter(watched, event)

    def _show_all(self) -> None:
        """The Down key: what is at hand matching what is typed, or all of it (the care team,
        favorites and the ten best recents) with nothing typed."""
        typed = self.pending_text()
        if typed:
            self._show(self.local_candidates(typed))
            return
        self._show(merge(self.care_team, at_hand(self.at_hand, 10), counts=self.counts))


__all__ = [
    "CANDIDATE_ROLE",
    "CARE_TEAM",
    "DIRECTORY",
    "Candidate",
    "CandidateDelegate",
    "RecipientField",
    "looks_like_address",
    "matches",
]
