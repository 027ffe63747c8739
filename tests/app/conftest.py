"""The sandbox fixtures of tests/server, for the client core's tests."""

from tests.app.store_helpers import cache, cache_path, key  # noqa: F401
from tests.server.conftest import (  # noqa: F401
    alice_token,
    bob_token,
    demo_server,
    demo_template,
    server,
    server_factory,
)
