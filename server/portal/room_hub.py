"""The signalling hub of the teleconsultation rooms (issue 13 §2): who is in which room, who waits
for the host's admission, and the relay of WebRTC descriptions and ICE candidates between the
browsers of one room (server/portal/room.py carries them over a WebSocket; the media go from
browser to browser, never through here).

In memory, on the server's event loop: a room lasts while someone is in it, and its admissions
with it (a participant who reloads the page stays admitted). A waiting participant reaches
nobody; a signal goes only between two admitted members of the same room, rebuilt from the
fields WebRTC needs (nothing else a page sends is passed on).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

Message = dict[str, Any]

# A member whose browser reads none of this many messages is dropped rather than kept in memory.
OUTBOX_LIMIT = 256
MAX_SDP_CHARS = 32_000
MAX_CANDIDATE_CHARS = 1_000


@dataclass(frozen=True)
class Close:
    """Put in an outbox: the writer closes the WebSocket with this code."""

    code: int = 1000


@dataclass(eq=False)
class Member:
    """One open room page. `id` is the same for every page of one join link (a digest of its
    token), so that a reload is the same participant."""

    id: str
    name: str
    host: bool
    outbox: asyncio.Queue[Message | Close] = field(default_factory=asyncio.Queue)
    closed: bool = False

    def post(self, message: Message) -> None:
        if self.closed:
            return
        if self.outbox.qsize() >= OUTBOX_LIMIT:
            self.close(1008)
            return
        self.outbox.put_nowait(message)

    def close(self, code: int = 1000) -> None:
        if not self.closed:
            self.closed = True
            self.outbox.put_nowait(Close(code))

    def card(self) -> Message:
        return {"id": self.id, "name": self.name}


@dataclass
class Room:
    members: dict[str, Member] = field(default_factory=dict)
    admitted: set[str] = field(default_factory=set)

    def inside(self, member: Member) -> bool:
        return self.members.get(member.id) is member and member.id in self.admitted

    def present(self) -> list[Member]:
        return [m for m in self.members.values() if m.id in self.admitted]

    def waiting(self) -> list[Member]:
        return [m for m in self.members.values() if m.id not in self.admitted]

    def tell_hosts(self) -> None:
        lobby = {"type": "lobby", "waiting": [m.card() for m in self.waiting()]}
        for host in self.members.values():
            if host.host:
                host.post(lobby)


class RoomHub:
    def __init__(self) -> None:
        self._rooms: dict[str, Room] = {}

    def join(self, room_id: str, member: Member) -> None:
        """The host enters at once; anyone else waits for the host's admission, unless admitted
        earlier in this room (a reload)."""
        room = self._rooms.setdefault(room_id, Room())
        old = room.members.get(member.id)
        if old is not None:  # the same link opened again: the newest page wins
            old.post({"type": "replaced"})
            old.close()
            if room.inside(old):
                for other in room.present():
                    if other is not old:
                        other.post({"type": "peer-left", "id": old.id})
            del room.members[old.id]
        room.members[member.id] = member
        member.post({"type": "welcome", "id": member.id, "host": member.host})
        if member.host:
            room.admitted.add(member.id)
        if member.id in room.admitted:
            self._enter(room, member)
        else:
            member.post({"type": "waiting"})
        room.tell_hosts()

    def leave(self, room_id: str, member: Member) -> None:
        room = self._rooms.get(room_id)
        if room is None or room.members.get(member.id) is not member:
            return  # already replaced by a newer page, or the room has ended
        inside = room.inside(member)
        del room.members[member.id]
        if not room.members:
            del self._rooms[room_id]
            return
        if inside:
            for other in room.present():
                other.post({"type": "peer-left", "id": member.id})
        room.tell_hosts()

    def handle(self, room_id: str, member: Member, message: Any) -> str | None:
        """A message from a member's page; returns a refusal to show, or None."""
        room = self._rooms.get(room_id)
        if room is None or room.members.get(member.id) is not member:
            return None
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "signal":
            return self._relay(room, member, message)
        if kind in ("admit", "end") and not member.host:
            return "Seul le professionnel peut admettre les participants ou terminer l'appel."
        if kind == "admit":
            target = room.members.get(str(message.get("id")))
            if target is not None and target.id not in room.admitted:
                room.admitted.add(target.id)
                self._enter(room, target)
                room.tell_hosts()
            return None
        if kind == "end":
            for other in list(room.members.values()):
                other.post({"type": "ended"})
                other.close()
            del self._rooms[room_id]
            return None
        return "Message inconnu."

    def _enter(self, room: Room, member: Member) -> None:
        """The newcomer is told who is inside, and calls each of them (it makes the offers);
        those inside are told to expect its call."""
        others = [m for m in room.present() if m is not member]
        member.post({"type": "enter", "peers": [m.card() for m in others]})
        for other in others:
            other.post({"type": "peer-joined", "peer": member.card()})

    def _relay(self, room: Room, sender: Member, message: Message) -> str | None:
        if not room.inside(sender):
            return "Vous êtes en salle d'attente : le professionnel va vous admettre."
        target = room.members.get(str(message.get("to")))
        if target is None or target is sender or not room.inside(target):
            return None  # gone meanwhile: nothing to say to the page
        data = clean_signal(message.get("data"))
        if data is None:
            return "Message de connexion invalide."
        target.post({"type": "signal", "from": sender.id, "data": data})
        return None


def clean_signal(data: Any) -> Message | None:
    """A WebRTC session description or ICE candidate, rebuilt from its known fields (or None)."""
    if not isinstance(data, dict):
        return None
    description = data.get("description")
    if isinstance(description, dict):
        kind, sdp = description.get("type"), description.get("sdp")
        if kind in ("offer", "answer") and isinstance(sdp, str) and len(sdp) <= MAX_SDP_CHARS:
            return {"description": {"type": kind, "sdp": sdp}}
        return None
    candidate = data.get("candidate")
    if isinstance(candidate, dict):
        line, mid, index = (
            candidate.get("candidate"),
            candidate.get("sdpMid"),
            candidate.get("sdpMLineIndex"),
        )
        if (
            isinstance(line, str)
            and len(line) <= MAX_CANDIDATE_CHARS
            and (mid is None or (isinstance(mid, str) and len(mid) <= 64))
            and (index is None or (isinstance(index, int) and 0 <= index < 64))
        ):
            return {"candidate": {"candidate": line, "sdpMid": mid, "sdpMLineIndex": index}}
    return None
