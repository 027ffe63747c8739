"""Who can create a Sara account on the demo sandbox (issue 13 §5): a professional of its
directory who is none of the demo accounts. Shared by the tests and the screenshots driver."""

from __future__ import annotations

import httpx

from server.demo.users import DEMO_PASSWORD, DEMO_USERS

GP_LOGIN = "helene.garnier"


def someone_without_an_account(base_url: str) -> dict[str, str]:
    """RPPS, given and family names of a professional near the demo GP, asked as the GP."""
    token = httpx.post(
        base_url + "/auth/token",
        data={"grant_type": "password", "username": GP_LOGIN, "password": DEMO_PASSWORD},
    ).json()["access_token"]
    found = httpx.get(
        base_url + "/fhir/Practitioner",
        params={"address-postalcode": "69003", "_count": "20"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    demo = {u.family for u in DEMO_USERS}
    for entry in found["entry"]:
        resource = entry["resource"]
        name = resource["name"][0]
        if name["family"] not in demo:
            rpps = next(i["value"] for i in resource["identifier"] if len(i["value"]) == 11)
            return {"rpps": rpps, "given": name["given"][0], "family": name["family"]}
    raise LookupError("no professional without an account")
