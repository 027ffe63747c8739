"""The painted rows' one way to draw a pill and a card: `paint_pill` sized and anchored as its
callers ask, and the delegates on the card base (the recipients' proposals, the conversation
rows) keep their own background. Painted into an image and read back pixel by pixel."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from app.records import Address, ConversationSummary
from ui import palette
from ui.card_delegate import CardDelegate, paint_pill, pill_width
from ui.composer.recipients import CANDIDATE_ROLE, Candidate, CandidateDelegate
from ui.mail.conversation_delegate import ConversationDelegate
from ui.mail.conversation_model import SUMMARY_ROLE

PILL = (QColor("#123456"), QColor("#ffffff"))


def canvas(width: int = 300, height: int = 80) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    return image


def color_at(image: QImage, x: int, y: int) -> str:
    return image.pixelColor(x, y).name()


def small_font() -> QFont:
    font = QFont(QApplication.font())
    font.setPixelSize(12)
    return font


def test_a_pill_ends_at_x_and_is_as_wide_as_its_text_and_padding(qapp: QApplication) -> None:
    image, font = canvas(), small_font()
    painter = QPainter(image)
    pill = paint_pill(painter, 280, 10, "Répondue", PILL, font)
    painter.end()
    width = QFontMetrics(font).horizontalAdvance("Répondue") + 20
    assert pill == QRect(280 - width, 10, width, 22)
    assert color_at(image, pill.left() + 3, pill.center().y()) == "#123456"
    assert color_at(image, pill.left() - 2, pill.center().y()) == "#ffffff"  # nothing outside
    assert color_at(image, pill.left(), pill.top()) == "#ffffff"  # its ends are round


def test_a_pill_anchored_left_starts_at_x_with_the_height_and_padding_asked(
    qapp: QApplication,
) -> None:
    image, font = canvas(), small_font()
    painter = QPainter(image)
    badge = paint_pill(
        painter, 40, 5, "Expert", PILL, font, height=18, padding=16,
        anchor=Qt.AlignmentFlag.AlignLeft,
    )  # fmt: skip
    painter.end()
    assert badge == QRect(40, 5, pill_width("Expert", font, padding=16), 18)
    assert color_at(image, 43, badge.center().y()) == "#123456"


def test_a_short_pill_keeps_its_minimum_width(qapp: QApplication) -> None:
    image, font = canvas(), small_font()
    painter = QPainter(image)
    count = paint_pill(painter, 200, 0, "7", PILL, font, height=20, padding=12, min_width=22)
    painter.end()
    assert count.width() == 22 > QFontMetrics(font).horizontalAdvance("7") + 12


def paint_row(delegate: CardDelegate[object], data: dict[int, object], selected: bool) -> QImage:
    model = QStandardItemModel()
    item = QStandardItem("row")
    for role, value in data.items():
        item.setData(value, role)
    model.appendRow(item)
    image = canvas(400, 80)
    option = QStyleOptionViewItem()
    option.font = QApplication.font()
    option.fontMetrics = QFontMetrics(option.font)
    option.rect = QRect(0, 0, 400, 80)
    option.state = QStyle.StateFlag.State_Enabled
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    return image


def test_a_proposal_is_white_or_tinted_when_selected_without_the_cards_accent_bar(
    qapp: QApplication,
) -> None:
    candidate = Candidate("Dr Alice MARTIN", "alice@x.mssante.fr", "Cardiologie", "Favori")
    delegate = CandidateDelegate()
    plain = paint_row(delegate, {CANDIDATE_ROLE: candidate}, selected=False)
    chosen = paint_row(delegate, {CANDIDATE_ROLE: candidate}, selected=True)
    assert color_at(plain, 1, 40) == palette.WHITE.name()
    assert color_at(chosen, 1, 40) == palette.SELECTED.name()  # no accent bar on the left
    assert color_at(chosen, 200, 79) == palette.SELECTED.name()  # no divider either
    name_area = {color_at(plain, x, y) for x in range(12, 120) for y in range(6, 30)}
    assert name_area - {palette.WHITE.name()}  # the name is painted on it
    option = QStyleOptionViewItem()
    option.fontMetrics = QFontMetrics(QApplication.font())
    hint = delegate.sizeHint(option, QStandardItemModel().index(0, 0))
    assert hint.width() == 360
    assert hint.height() == 2 * option.fontMetrics.height() + 16


def test_a_conversation_row_not_loaded_yet_shows_its_background_only(
    qapp: QApplication,
) -> None:
    delegate = ConversationDelegate(SimpleNamespace(show_recipients=False))  # type: ignore[arg-type]
    blank = paint_row(delegate, {}, selected=True)
    assert color_at(blank, 1, 40) == palette.ACCENT.name()  # the selection's accent bar
    assert color_at(blank, 200, 40) == palette.SELECTED.name()
    assert color_at(blank, 200, 79) != palette.SELECTED.name()  # the divider
    assert color_at(blank, 8, 79) == palette.SELECTED.name()  # from past the unread dot
    when = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    sender = [Address("Dr Alice MARTIN", "alice@x.mssante.fr")]
    summary = ConversationSummary(
        "t", "1", "Compte rendu", sender, sender, when, "Voici", sender, 1, False, False, False, []
    )
    loaded = paint_row(delegate, {SUMMARY_ROLE: summary}, selected=True)
    assert loaded != blank  # and a loaded row its card on top
