"""Mailbox/get, /changes, /query, /set (RFC 8621 §2).

Counts are computed when asked (indexed), so importing mail never has to maintain them.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from server.jmap import collation
from server.jmap.methods import MAIL, Call, Json, MethodError, method, standard_changes
from server.jmap.methods.set_skeleton import SetResult, check_if_in_state, get_args, set_args
from server.mail.store import new_id

# The Session's limits of the Mail capability (RFC 8621 §1.3.1), enforced by Mailbox/set below.
MAX_MAILBOX_DEPTH = 10  # one more than the most ancestors a mailbox may have
MAX_SIZE_MAILBOX_NAME = 255  # UTF-8 octets
MAY_CREATE_TOP_LEVEL_MAILBOX = True
# No limit on the mailboxes of one email (Email/set and Email/import take any number).
MAX_MAILBOXES_PER_EMAIL = None

PROPERTIES = [
    "id",
    "name",
    "parentId",
    "role",
    "sortOrder",
    "totalEmails",
    "unreadEmails",
    "totalThreads",
    "unreadThreads",
    "myRights",
    "isSubscribed",
]
COUNTS = ["totalEmails", "unreadEmails", "totalThreads", "unreadThreads"]
RIGHTS = dict.fromkeys(
    (
        "mayReadItems",
        "mayAddItems",
        "mayRemoveItems",
        "maySetSeen",
        "maySetKeywords",
        "mayCreateChild",
        "mayRename",
        "mayDelete",
        "maySubmit",
    ),
    True,
)
UNSEEN = "json_extract(e.keywords, '$.\"$seen\"') IS NULL"


def _counts(conn: sqlite3.Connection, mailbox_ids: list[str]) -> dict[str, dict[str, int]]:
    rows = conn.execute(
        f"SELECT em.mailbox_id, COUNT(*), SUM({UNSEEN}), COUNT(DISTINCT e.thread_id), "
        f"COUNT(DISTINCT CASE WHEN {UNSEEN} THEN e.thread_id END) "
        "FROM email_mailboxes em JOIN emails e ON e.seq = em.email_seq "
        "WHERE em.mailbox_id IN (SELECT value FROM json_each(?)) GROUP BY em.mailbox_id",
        (json.dumps(mailbox_ids),),
    ).fetchall()
    counts = {m: dict.fromkeys(COUNTS, 0) for m in mailbox_ids}
    for r in rows:
        counts[r[0]] = dict(
            zip(COUNTS, (int(r[1]), int(r[2] or 0), int(r[3]), int(r[4])), strict=True)
        )
    return counts


def _mailbox(row: sqlite3.Row, counts: dict[str, int]) -> Json:
    return {
        "id": row["id"],
        "name": row["name"],
        "parentId": row["parent_id"],
        "role": row["role"],
        "sortOrder": row["sort_order"],
        **counts,
        "myRights": {**RIGHTS, "mayRename": row["role"] is None, "mayDelete": row["role"] is None},
        "isSubscribed": bool(row["is_subscribed"]),
    }


@method("Mailbox/get", MAIL)
def mailbox_get(call: Call) -> Json:
    account_id = call.account_id
    properties, ids = get_args(call, PROPERTIES)
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Mailbox")
        rows = conn.execute(
            "SELECT * FROM mailboxes WHERE account_id = ? ORDER BY sort_order, name",
            (account_id,),
        ).fetchall()
        by_id = {r["id"]: r for r in rows}
        order = [call.resolve_id(i) or i for i in ids] if ids is not None else list(by_id)
        wanted = [i for i in order if i in by_id]
        need_counts = any(p in COUNTS for p in properties)
        counts = _counts(conn, wanted) if need_counts else {}
    empty = dict.fromkeys(COUNTS, 0)
    result = []
    for mailbox_id in wanted:
        full = _mailbox(by_id[mailbox_id], counts.get(mailbox_id, empty))
        result.append({p: full[p] for p in ["id", *properties]})
    return {
        "accountId": account_id,
        "state": state,
        "list": result,
        "notFound": [i for i in order if i not in by_id],
    }


@method("Mailbox/changes", MAIL)
def mailbox_changes(call: Call) -> Json:
    """RFC 8621 §2.2: updatedProperties lists the counts when nothing else changed."""
    result = standard_changes(call, "Mailbox")
    result["updatedProperties"] = None
    if result["updated"]:
        with call.sandbox.db.read() as conn:
            other_change = conn.execute(
                "SELECT 1 FROM mailboxes WHERE account_id = ? AND props_modseq > ? "
                "AND id IN (SELECT value FROM json_each(?)) LIMIT 1",
                (call.account_id, int(result["oldState"]), json.dumps(result["updated"])),
            ).fetchone()
        if other_change is None:
            result["updatedProperties"] = list(COUNTS)
    return result


def _matches(mailbox: Json, condition: Json) -> bool:
    if "operator" in condition:
        operator = condition["operator"]
        conditions = condition.get("conditions")
        if operator not in ("AND", "OR", "NOT") or not isinstance(conditions, list):
            raise MethodError("invalidArguments", "Bad filter operator.")
        results = [_matches(mailbox, c) for c in _conditions(conditions)]
        if operator == "AND":
            return all(results)
        if operator == "OR":
            return any(results)
        return not any(results)
    for key, value in condition.items():
        if key == "parentId":
            if mailbox["parentId"] != value:
                return False
        elif key == "role":
            if mailbox["role"] != value:
                return False
        elif key == "hasAnyRole":
            if not isinstance(value, bool):
                raise MethodError("invalidArguments", "hasAnyRole must be a boolean.")
            if (mailbox["role"] is not None) != value:
                return False
        elif key == "name":
            if not isinstance(value, str):
                raise MethodError("invalidArguments", "name must be a string.")
            if value.casefold() not in mailbox["name"].casefold():
                return False
        elif key == "isSubscribed":
            if not isinstance(value, bool):
                raise MethodError("invalidArguments", "isSubscribed must be a boolean.")
            if mailbox["isSubscribed"] != value:
                return False
        else:
            raise MethodError("unsupportedFilter", f"Unknown filter {key}.")
    return True


def _conditions(value: list[Any]) -> list[Json]:
    if not all(isinstance(c, dict) for c in value):
        raise MethodError("invalidArguments", "Filter conditions must be objects.")
    return value


@method("Mailbox/query", MAIL)
def mailbox_query(call: Call) -> Json:
    account_id = call.account_id
    call.check_keys(
        {
            "filter",
            "sort",
            "position",
            "anchor",
            "anchorOffset",
            "limit",
            "calculateTotal",
            "sortAsTree",
            "filterAsTree",
        }
    )
    filter_ = call.args.get("filter")
    if filter_ is not None and not isinstance(filter_, dict):
        raise MethodError("invalidArguments", "filter must be an object.")
    sort = call.args.get("sort") or []
    if not isinstance(sort, list) or not all(isinstance(s, dict) for s in sort):
        raise MethodError("invalidArguments", "sort must be a list of comparators.")
    with call.sandbox.db.read() as conn:
        state = call.sandbox.changes.state(conn, account_id, "Mailbox")
        rows = conn.execute(
            "SELECT * FROM mailboxes WHERE account_id = ?", (account_id,)
        ).fetchall()
    sort_as_tree = call.boolean("sortAsTree")
    filter_as_tree = call.boolean("filterAsTree")
    mailboxes = [_mailbox(r, dict.fromkeys(COUNTS, 0)) for r in rows]
    if filter_:
        matching = {m["id"] for m in mailboxes if _matches(m, filter_)}
        if filter_as_tree:
            matching = _with_matching_ancestors(mailboxes, matching)
        mailboxes = [m for m in mailboxes if m["id"] in matching]
    mailboxes.sort(key=lambda m: m["id"])
    for comparator in reversed(sort):
        prop = comparator.get("property")
        if prop not in ("name", "sortOrder"):
            raise MethodError("unsupportedSort", f"Cannot sort by {prop}.")
        ascending = comparator.get("isAscending", True) is not False
        if prop == "name":
            # Folder names have always sorted case-folded, accents included: that stays the default.
            key = collation.COLLATIONS[collation.of(comparator, "i;unicode-casemap")]
            mailboxes.sort(key=lambda m: key(str(m["name"])), reverse=not ascending)
        else:
            mailboxes.sort(key=lambda m: int(m["sortOrder"]), reverse=not ascending)
    if sort_as_tree:
        mailboxes = _as_tree(mailboxes)
    ids = [m["id"] for m in mailboxes]
    from server.jmap.methods.query_changes import mailbox_query_calculable

    return {**window(call, ids, state), "canCalculateChanges": mailbox_query_calculable(call.args)}


def _with_matching_ancestors(mailboxes: list[Json], matching: set[str]) -> set[str]:
    """filterAsTree (RFC 8621 §2.3): a mailbox stays only if all its ancestors match too."""
    parents = {m["id"]: m["parentId"] for m in mailboxes}
    kept = set()
    for mailbox_id in matching:
        parent = parents.get(mailbox_id)
        seen = {mailbox_id}
        while parent is not None and parent in matching and parent not in seen:
            seen.add(parent)
            parent = parents.get(parent)
        if parent is None:
            kept.add(mailbox_id)
    return kept


def _as_tree(mailboxes: list[Json]) -> list[Json]:
    """sortAsTree: each parent before its children, siblings in the sorted order.

    A mailbox whose parent is not in the list is placed as if it were at the top level.
    """
    present = {m["id"] for m in mailboxes}
    children: dict[str | None, list[Json]] = {}
    for m in mailboxes:
        parent = m["parentId"] if m["parentId"] in present else None
        children.setdefault(parent, []).append(m)
    out: list[Json] = []

    def walk(parent: str | None) -> None:
        for child in children.get(parent, []):
            out.append(child)
            walk(child["id"])

    walk(None)
    return out


def window(call: Call, ids: list[str], query_state: str) -> Json:
    """position / anchor / anchorOffset / limit of any /query (RFC 8620 §5.5)."""
    total = len(ids)
    position = call.integer("position", 0) or 0
    limit = call.integer("limit", None, minimum=0)
    anchor = call.args.get("anchor")
    if anchor is not None:
        if not isinstance(anchor, str):
            raise MethodError("invalidArguments", "anchor must be an id.")
        if anchor not in ids:
            raise MethodError("anchorNotFound")
        position = max(0, ids.index(anchor) + (call.integer("anchorOffset", 0) or 0))
    elif position < 0:
        position = max(0, total + position)
    end = total if limit is None else position + limit
    result: Json = {
        "accountId": call.account_id,
        "queryState": query_state,
        "canCalculateChanges": False,
        "position": position,
        "ids": ids[position:end],
    }
    if call.boolean("calculateTotal"):
        result["total"] = total
    return result


@method("Mailbox/set", MAIL)
def mailbox_set(call: Call) -> Json:
    """User folders: create, rename or move, destroy. Role folders cannot be renamed or removed."""
    account_id = call.account_id
    args = set_args(call, {"onDestroyRemoveEmails"})
    remove_emails = call.boolean("onDestroyRemoveEmails")
    changes = call.sandbox.changes
    outcome = SetResult()
    with call.sandbox.db.write() as conn:
        old_state = check_if_in_state(call, conn, account_id, "Mailbox")

        def existing() -> dict[str, sqlite3.Row]:
            rows = conn.execute("SELECT * FROM mailboxes WHERE account_id = ?", (account_id,))
            return {r["id"]: r for r in rows}

        for creation_id, props in args.create.items():
            error = _check_props(call, props, existing(), creating=True, served=NEW_MAILBOX)
            if error:
                outcome.not_created[creation_id] = error
                continue
            mailbox_id = new_id("M")
            conn.execute(
                "INSERT INTO mailboxes "
                "(id, account_id, name, parent_id, sort_order, is_subscribed) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    mailbox_id,
                    account_id,
                    props["name"],
                    call.resolve_id(props["parentId"]) if props.get("parentId") else None,
                    props.get("sortOrder", 10),
                    int(props.get("isSubscribed", True)),
                ),
            )
            changes.record(conn, account_id, "Mailbox", mailbox_id, "created")
            call.created_ids[creation_id] = mailbox_id
            outcome.created[creation_id] = {"id": mailbox_id, **dict.fromkeys(COUNTS, 0)}
        for raw_id, props in args.update.items():
            mailbox_id = call.resolve_id(raw_id) or raw_id
            boxes = existing()
            row = boxes.get(mailbox_id)
            if row is None:
                outcome.not_updated[raw_id] = {"type": "notFound"}
                continue
            served = _mailbox(row, _counts(conn, [mailbox_id])[mailbox_id])
            error = _check_props(
                call, props, boxes, creating=False, self_id=mailbox_id, served=served
            )
            moved = props.get("parentId", row["parent_id"]) != row["parent_id"]
            if (
                not error
                and row["role"] is not None
                and (props.get("name", row["name"]) != row["name"] or moved)
            ):
                error = {"type": "forbidden", "description": "Role folders keep their name."}
            if error:
                outcome.not_updated[raw_id] = error
                continue
            for key, column in (
                ("name", "name"),
                ("sortOrder", "sort_order"),
                ("isSubscribed", "is_subscribed"),
            ):
                if key in props:
                    conn.execute(
                        f"UPDATE mailboxes SET {column} = ? WHERE id = ?", (props[key], mailbox_id)
                    )
            if "parentId" in props:
                parent = call.resolve_id(props["parentId"]) if props["parentId"] else None
                conn.execute(
                    "UPDATE mailboxes SET parent_id = ? WHERE id = ?", (parent, mailbox_id)
                )
            modseq = changes.record(conn, account_id, "Mailbox", mailbox_id, "updated")
            conn.execute("UPDATE mailboxes SET props_modseq = ? WHERE id = ?", (modseq, mailbox_id))
            outcome.updated[raw_id] = None
        for raw_id in args.destroy:
            mailbox_id = call.resolve_id(raw_id) or raw_id
            row = existing().get(mailbox_id)
            if row is None:
                outcome.not_destroyed[raw_id] = {"type": "notFound"}
                continue
            if row["role"] is not None:
                outcome.not_destroyed[raw_id] = {"type": "forbidden"}
                continue
            if conn.execute(
                "SELECT 1 FROM mailboxes WHERE parent_id = ?", (mailbox_id,)
            ).fetchone():
                outcome.not_destroyed[raw_id] = {"type": "mailboxHasChild"}
                continue
            seqs = conn.execute(
                "SELECT e.id, (SELECT COUNT(*) FROM email_mailboxes o WHERE o.email_seq = e.seq) "
                "FROM email_mailboxes em JOIN emails e ON e.seq = em.email_seq "
                "WHERE em.mailbox_id = ?",
                (mailbox_id,),
            ).fetchall()
            if seqs and not remove_emails:
                outcome.not_destroyed[raw_id] = {"type": "mailboxHasEmail"}
                continue
            for email_id, memberships in seqs:
                if memberships > 1:
                    call.sandbox.mail.update_email(
                        conn, account_id, email_id, None, _others(conn, email_id, mailbox_id)
                    )
                else:
                    call.sandbox.mail.destroy_email(conn, account_id, email_id)
            conn.execute("DELETE FROM mailboxes WHERE id = ?", (mailbox_id,))
            changes.record(conn, account_id, "Mailbox", mailbox_id, "destroyed")
            outcome.destroyed.append(raw_id)
        new_state = changes.state(conn, account_id, "Mailbox")
    return outcome.answer(account_id, old_state, new_state)


def _others(conn: sqlite3.Connection, email_id: str, mailbox_id: str) -> set[str]:
    rows = conn.execute(
        "SELECT em.mailbox_id FROM email_mailboxes em JOIN emails e ON e.seq = em.email_seq "
        "WHERE e.id = ? AND em.mailbox_id != ?",
        (email_id, mailbox_id),
    )
    return {r[0] for r in rows}


# Properties only the server sets (RFC 8621 §2), and what a new user folder has for them.
SERVER_SET = {"id", "myRights", *COUNTS}
NEW_MAILBOX: Json = {
    "role": None,
    **dict.fromkeys(COUNTS, 0),
    "myRights": {**RIGHTS, "mayRename": True, "mayDelete": True},
}


def _check_props(
    call: Call,
    props: Any,
    boxes: dict[str, sqlite3.Row],
    *,
    creating: bool,
    served: Json,
    self_id: str | None = None,
) -> Json | None:
    if not isinstance(props, dict):
        return {"type": "invalidProperties", "description": "Not an object."}
    allowed = {"name", "parentId", "sortOrder", "isSubscribed", "role"}
    bad = [k for k in props if k not in allowed | SERVER_SET]
    # RFC 8620 §5.3: a server-set property may be sent back only with the value it has.
    for key in SERVER_SET & set(props):
        if key == "myRights" and isinstance(props[key], dict):
            rights = served["myRights"]
            bad += [f"myRights/{k}" for k, v in props[key].items() if rights.get(k) != v]
        elif key not in served or props[key] != served[key]:
            bad.append(key)
    if "role" in props and props["role"] != served.get("role"):
        bad.append("role")
    if "name" in props and not _valid_name(props["name"]):
        bad.append("name")
    if creating and "name" not in props:
        bad.append("name")
    if "sortOrder" in props and (
        isinstance(props["sortOrder"], bool)
        or not isinstance(props["sortOrder"], int)
        or not 0 <= props["sortOrder"] < 2**31
    ):
        bad.append("sortOrder")
    if "isSubscribed" in props and not isinstance(props["isSubscribed"], bool):
        bad.append("isSubscribed")
    parent = props.get("parentId")
    resolved: str | None = None
    if parent is not None:
        resolved = call.resolve_id(parent) if isinstance(parent, str) else None
        if resolved is None or resolved not in boxes or _is_within(boxes, resolved, self_id):
            bad.append("parentId")
    if (creating or "parentId" in props) and "parentId" not in bad:
        # The deepest mailbox of the moved subtree (or the new one) stays within the limit.
        above = _depth(boxes, resolved) if resolved else 0
        below = _height(boxes, self_id) if self_id else 1
        if above + below > MAX_MAILBOX_DEPTH:
            bad.append("parentId")
    if bad:
        return {"type": "invalidProperties", "properties": sorted(set(bad))}
    # RFC 8621 §2: no two siblings share a name (checked on the name and parent after the change).
    current = boxes.get(self_id) if self_id else None
    name = props["name"] if "name" in props else (current["name"] if current else None)
    parent_id = resolved if "parentId" in props else (current["parent_id"] if current else None)
    if any(
        box["name"] == name and box["parent_id"] == parent_id and box_id != self_id
        for box_id, box in boxes.items()
    ):
        return {
            "type": "invalidProperties",
            "properties": ["name"],
            "description": "A sibling mailbox already has this name.",
        }
    return None


def _valid_name(name: Any) -> bool:
    """RFC 8621 §2: a non-empty name of at most maxSizeMailboxName octets in UTF-8."""
    if not isinstance(name, str) or not name.strip():
        return False
    # Every string has a UTF-8 form here: a lone surrogate is refused with the request (I-JSON).
    return len(name.encode("utf-8")) <= MAX_SIZE_MAILBOX_NAME


def _depth(boxes: dict[str, sqlite3.Row], mailbox_id: str) -> int:
    """1 for a top-level mailbox, 2 for its child..."""
    depth = 0
    seen: set[str] = set()
    current: str | None = mailbox_id
    while current is not None and current in boxes and current not in seen:
        seen.add(current)
        depth += 1
        current = boxes[current]["parent_id"]
    return depth


def _height(boxes: dict[str, sqlite3.Row], mailbox_id: str) -> int:
    """1 for a mailbox without children, 2 with children but no grandchildren..."""
    children = [box_id for box_id, box in boxes.items() if box["parent_id"] == mailbox_id]
    return 1 + max((_height(boxes, child) for child in children), default=0)


def _is_within(boxes: dict[str, sqlite3.Row], mailbox_id: str, ancestor: str | None) -> bool:
    """True when mailbox_id is ancestor itself or one of its descendants (a move would loop)."""
    seen: set[str] = set()
    current: str | None = mailbox_id
    while ancestor is not None and current is not None and current not in seen:
        if current == ancestor:
            return True
        seen.add(current)
        row = boxes.get(current)
        current = row["parent_id"] if row is not None else None
    return False
