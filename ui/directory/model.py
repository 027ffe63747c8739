"""The directory's result list: a lazy model fed page by page from the network, and the delegate
that paints each correspondent (no widget per row: thousands of results stay light)."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from app.records import Correspondent, DirectoryPage
from ui import theme
from ui.card_delegate import CardDelegate, CardFonts, paint_pill, pill_width
from ui.mailbox_types import mailbox_type_label
from ui.palette import ACCENT, MUTED, TEXT
from ui.plain import paint_text, plain_text, plain_tooltip
from ui.specialties import short_label

CorrespondentRole = Qt.ItemDataRole.UserRole + 1
FavoriteRole = Qt.ItemDataRole.UserRole + 2

ROW_HEIGHT = 80
STAR_SIZE = 22
EXPERT = (QColor("#fdf3d7"), QColor("#8a5a00"))  # the expert badge: background, text

_Index = QModelIndex | QPersistentModelIndex


def address_key(address: str) -> str:
    return address.strip().casefold()


def to_display(correspondent: Correspondent) -> dict[str, Any]:
    """What a favorite keeps (JSON): the whole correspondent, plus `name` and `address` for readers
    that only need those (the composer's completion)."""
    data = dataclasses.asdict(correspondent)
    data["mailboxes"] = list(correspondent.mailboxes)
    data["name"] = correspondent.display_name
    data["address"] = correspondent.mailbox
    return data


def from_display(address: str, display: dict[str, Any]) -> Correspondent:
    """A favorite back into a correspondent; tolerant of older or partial display data."""
    known = {f.name for f in dataclasses.fields(Correspondent)}
    values = {k: v for k, v in display.items() if k in known}
    mailboxes = values.get("mailboxes")
    values["mailboxes"] = (
        tuple(str(m) for m in mailboxes)
        if isinstance(mailboxes, list) and mailboxes
        else (address,)
    )
    types = values.get("mailbox_types")
    values["mailbox_types"] = (
        tuple((str(t[0]), str(t[1])) for t in types if isinstance(t, list | tuple) and len(t) == 2)
        if isinstance(types, list)
        else ()
    )
    position = values.get("position")
    values["position"] = tuple(position) if isinstance(position, list) else None
    values.setdefault("kind", "practitioner")
    values.setdefault("id", address)
    values.setdefault("display_name", str(display.get("name") or address))
    if values["kind"] not in ("practitioner", "organization", "team"):
        values["kind"] = "practitioner"
    try:
        return Correspondent(**values)
    except TypeError:
        return minimal(address, str(display.get("name") or "") or None)


def minimal(address: str, name: str | None) -> Correspondent:
    """A correspondent known only by address (a recent one)."""
    return Correspondent(
        kind="practitioner", id=address, display_name=name or address, mailboxes=(address,)
    )


class CorrespondentModel(QAbstractListModel):
    """Rows of correspondents; when the view scrolls near the end and the directory has a next
    page, `more_wanted(page)` asks the owner to fetch it (then `append_page`)."""

    more_wanted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Correspondent] = []
        self._page: DirectoryPage | None = None
        self._loading = False
        self._favorites: set[str] = set()
        self.total: int | None = None

    # Filling

    def set_rows(self, rows: list[Correspondent], page: DirectoryPage | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._page = page
        self._loading = False
        self.total = page.total if page is not None else len(rows)
        self.endResetModel()

    def append_page(self, page: DirectoryPage) -> None:
        self._loading = False
        self._page = page
        if page.correspondents:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.correspondents) - 1)
            self._rows.extend(page.correspondents)
            self.endInsertRows()

    def page_failed(self) -> None:
        """A next page could not be fetched: stop asking for it (a new search starts over)."""
        self._loading = False
        self._page = None

    def set_favorites(self, addresses: set[str]) -> None:
        self._favorites = {address_key(a) for a in addresses}
        if self._rows:
            self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1), [FavoriteRole])

    def is_favorite(self, correspondent: Correspondent) -> bool:
        return correspondent.mailbox is not None and (
            address_key(correspondent.mailbox) in self._favorites
        )

    def correspondent(self, row: int) -> Correspondent | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def loading(self) -> bool:
        return self._loading

    # Qt's model interface

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        if role == CorrespondentRole:
            return c
        if role == FavoriteRole:
            return self.is_favorite(c)
        if role == Qt.ItemDataRole.DisplayRole:
            return plain_text(c.display_name)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(c.mailbox)
        return None

    def canFetchMore(self, parent: _Index) -> bool:
        if parent.isValid():
            return False
        return self._page is not None and self._page.next_url is not None and not self._loading

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self.more_wanted.emit(self._page)


_TITLES = {"dr", "dr.", "pr", "pr.", "m.", "mme", "mlle", "docteur", "professeur"}


def initials(c: Correspondent) -> str:
    given, family = plain_text(c.given).strip(), plain_text(c.family).strip()
    if given or family:
        return (given[:1] + family[:1]).upper()
    words = [
        w
        for w in plain_text(c.display_name).split()
        if w[:1].isalpha() and w.casefold() not in _TITLES
    ]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def subtitle(c: Correspondent) -> str:
    """Profession · specialty · organisation (what is known)."""
    parts: list[str] = []
    if c.kind == "organization":
        parts.append(QCoreApplication.translate("Directory", "Établissement"))
    if c.kind == "team":
        parts.append(QCoreApplication.translate("Directory", "Équipe ressource"))
        parts.append(c.services)  # its activity
    if c.profession_label:
        parts.append(c.profession_label)
    if c.specialty_label:
        parts.append(short_label(c.specialty_label))
    if c.organization_name and c.organization_name != c.display_name:
        parts.append(c.organization_name)
    return " · ".join(parts)


def mailbox_text(c: Correspondent) -> str:
    """The address to write to, with its type: "x@pro.mssante.fr · boîte de cabinet"."""
    if not c.mailbox:
        return ""
    kind = mailbox_type_label(c.mailbox_type())
    return f"{plain_text(c.mailbox)} · {kind}" if kind else plain_text(c.mailbox)


def address_text(c: Correspondent) -> str:
    place = " ".join(p for p in (c.postal_code, c.city) if p)
    return ", ".join(p for p in (c.address_line, place) if p)


def phone_text(phone: str) -> str:
    """A telephone number written the French way: "04 78 12 34 56" (by pairs), "+33 4 78 12 34 56";
    anything else (a short number, letters) as the directory wrote it."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("+33") and len(digits) == 11:
        rest = digits[2:]  # after the 33
        return "+33 " + rest[0] + " " + " ".join(rest[i : i + 2] for i in range(1, 9, 2))
    if len(digits) == 10 and digits[0] == "0" and not phone.strip().startswith("+"):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return plain_text(phone).strip()


def phone_label(c: Correspondent) -> str:
    """What the card shows of the telephone ("Tél. 04 78 12 34 56"), or nothing."""
    if not c.phone.strip():
        return ""
    return QCoreApplication.translate("Directory", "Tél. {number}").format(
        number=phone_text(c.phone)
    )


def distance_text(km: float) -> str:
    if km < 1:
        return f"{round(km * 1000):d} m"
    return f"{km:.1f} km".replace(".", ",")


class CorrespondentDelegate(CardDelegate[Correspondent]):
    """Paints a correspondent on three lines, with an avatar, an expert badge, the distance and a
    favorite star; a click on the star emits `star_clicked(row)`, a click on the telephone number
    `phone_clicked(row)` (the view copies it)."""

    star_clicked = Signal(int)
    phone_clicked = Signal(int)
    record_type = Correspondent
    role = CorrespondentRole
    row_height = ROW_HEIGHT
    divider_left = 72

    @staticmethod
    def star_rect(row_rect: QRect) -> QRect:
        return QRect(
            row_rect.right() - 16 - STAR_SIZE,
            row_rect.top() + (row_rect.height() - STAR_SIZE) // 2,
            STAR_SIZE,
            STAR_SIZE,
        )

    @staticmethod
    def phone_rect(row_rect: QRect, c: Correspondent, fonts: CardFonts) -> QRect:
        """Where the telephone is painted: the right end of the second line (empty: no phone)."""
        label = phone_label(c)
        if not label:
            return QRect()
        right = CorrespondentDelegate.star_rect(row_rect).left() - 12
        width = fonts.small_metrics.horizontalAdvance(label) + 4
        return QRect(right - width, row_rect.top() + 32, width, 18)

    def editorEvent(
        self, event: QEvent, model: Any, option: QStyleOptionViewItem, index: _Index
    ) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
            c = index.data(CorrespondentRole)
            hit = self.star_rect(option.rect).adjusted(-6, -6, 6, 6)
            if (
                isinstance(c, Correspondent)
                and c.mailbox
                and hit.contains(event.position().toPoint())
            ):
                self.star_clicked.emit(index.row())
                return True
            if isinstance(c, Correspondent) and (
                self.phone_rect(option.rect, c, CardFonts(option.font))
                .adjusted(-4, -4, 4, 4)
                .contains(event.position().toPoint())
            ):
                self.phone_clicked.emit(index.row())
                return True
        return super().editorEvent(event, model, option, index)

    def paint_card(
        self, painter: QPainter, rect: QRect, c: Correspondent, fonts: CardFonts
    ) -> None:

        # Avatar
        avatar = QRect(rect.left() + 16, rect.top() + (rect.height() - 40) // 2, 40, 40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#d9edf2") if c.kind == "practitioner" else QColor("#e6e9f2"))
        painter.drawEllipse(avatar)
        small, bold = fonts.small, fonts.bold
        painter.setFont(small)
        painter.setPen(ACCENT)
        painter.drawText(avatar, Qt.AlignmentFlag.AlignCenter, initials(c))

        star = self.star_rect(rect)
        left = rect.left() + 72
        right = star.left() - 12
        top = rect.top() + 10

        # Line 1: name, expert badge, distance
        fm_bold = QFontMetrics(bold)
        fm_small = fonts.small_metrics
        distance = distance_text(c.distance_km) if c.distance_km is not None else ""
        distance_w = fm_small.horizontalAdvance(distance) + 8 if distance else 0
        badge = QCoreApplication.translate("Directory", "Expert") if c.expert else ""
        badge_w = pill_width(badge, small, padding=16) if badge else 0
        name_room = max(40, right - left - distance_w - (badge_w + 8 if badge else 0))
        painter.setFont(bold)
        painter.setPen(TEXT)
        name = paint_text(painter, QRect(left, top, name_room, 20), c.display_name)
        if badge:
            x = left + fm_bold.horizontalAdvance(name) + 8
            paint_pill(
                painter,
                x,
                top + 1,
                badge,
                EXPERT,
                small,
                height=18,
                padding=16,
                anchor=Qt.AlignmentFlag.AlignLeft,
            )
        if distance:
            painter.setFont(small)
            painter.setPen(MUTED)
            painter.drawText(
                QRect(right - distance_w, top, distance_w, 20),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                distance,
            )

        # Line 2: profession · specialty · organisation, the telephone at the right
        phone = self.phone_rect(rect, c, fonts)
        painter.setFont(small)
        if not phone.isNull():
            painter.setPen(ACCENT)
            painter.drawText(
                phone,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                phone_label(c),
            )
        painter.setPen(TEXT)
        subtitle_room = (phone.left() - 12 if not phone.isNull() else right) - left
        paint_text(painter, QRect(left, top + 22, subtitle_room, 18), subtitle(c))

        # Line 3: address · MSSanté address
        mailbox = mailbox_text(c) or QCoreApplication.translate(
            "Directory", "Pas de messagerie sécurisée connue"
        )
        # The address to write to matters most: it gets its full width (+ slack for rounding).
        mailbox_w = min(fm_small.horizontalAdvance(mailbox) + 4, (right - left) * 2 // 3)
        place = address_text(c)
        place_room = right - left - mailbox_w - 16
        painter.setPen(MUTED)
        if place and place_room > 40:
            paint_text(painter, QRect(left, top + 40, place_room, 18), place)
        else:
            mailbox_w = right - left
        painter.setPen(ACCENT if c.mailbox else MUTED)
        paint_text(
            painter,
            QRect(right - mailbox_w, top + 40, mailbox_w, 18),
            mailbox,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            Qt.TextElideMode.ElideMiddle,
        )

    def paint_marks(self, painter: QPainter, rect: QRect, c: Correspondent, index: _Index) -> None:
        """The favorite star (only for someone we can write to)."""
        if c.mailbox:
            favorite = bool(index.data(FavoriteRole))
            theme.icon("star-filled" if favorite else "star").paint(painter, self.star_rect(rect))
