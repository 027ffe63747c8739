"""Package tests run on what `make package` made (never in the main pytest run): the bundle and the
.deb, found through MONSISRA_BUNDLE and MONSISRA_DEB. Missing, they fail: a package test that
skips would let a release go out untested."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"


@pytest.fixture(scope="session")
def bundle_dir() -> Path:
    """The frozen bundle: monsisra, monsisra-cli and _internal/."""
    bundle = Path(os.environ.get("MONSISRA_BUNDLE", DIST / "monsisra-bureau"))
    if not (bundle / "monsisra-cli").is_file():
        pytest.fail(f"no bundle in {bundle}: run make package first")
    return bundle


@pytest.fixture(scope="session")
def deb_path() -> Path:
    """The Debian package: MONSISRA_DEB, or the one .deb in dist/."""
    if "MONSISRA_DEB" in os.environ:
        deb = Path(os.environ["MONSISRA_DEB"])
        if not deb.is_file():
            pytest.fail(f"MONSISRA_DEB={deb} does not exist: run make package first")
        return deb
    debs = sorted(DIST.glob("*.deb"))
    if len(debs) != 1:
        pytest.fail(f"expected one .deb in {DIST}, found {len(debs)}: run make package first")
    return debs[0]
