"""Schemathesis over the published regional OpenAPI document: no input makes the server fail."""

from __future__ import annotations

from collections.abc import Callable

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from server.testing import ServerThread
from tests.server.conftest import ALICE, get_token


def test_no_generated_request_gets_a_server_error(server: ServerThread) -> None:
    token = get_token(server.base_url, ALICE)
    schema = schemathesis.openapi.from_url(
        server.base_url + "/regional/v1/openapi.json",
        headers={"Authorization": f"Bearer {token}"},
    )
    schema.config.update(base_url=server.base_url)
    failures: list[str] = []
    calls: list[str] = []

    def checker(label: str) -> Callable[[schemathesis.Case], None]:
        def check(case: schemathesis.Case) -> None:
            calls.append(label)
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{label}: {response.status_code} {response.text[:200]}")
            case.validate_response(response, checks=[not_a_server_error])

        return check

    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        run = settings(
            max_examples=30,
            deadline=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )(given(operation.as_strategy())(checker(operation.label)))
        run()
    assert operations >= 20
    assert len(calls) >= operations * 5
    assert failures == []
