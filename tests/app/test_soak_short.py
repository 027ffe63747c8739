"""Issue 17 §5 in the normal suite: bench/soak.py for a minute (the long run is a bench). The app
core open against a sandbox changing at random, user actions at random: nothing it measures
grows past its limit, no sync pass hangs, and the cache equals the server at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import soak


@pytest.mark.slow
@pytest.mark.timeout(400)  # only catches a hang: the run stops itself after --seconds
def test_a_minute_of_use_grows_nothing_and_converges(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plot = tmp_path / "soak.png"
    status = soak.main(
        ["--seconds", "60", "--seed", "17", "--lock-every", "0.03", "--plot", str(plot)]
    )
    out = capsys.readouterr().out
    assert status == 0, out
    assert "cache equals server at the end: yes" in out, out
    assert "soak: ok" in out, out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
