"""The packages of the distribution; everything else is in pyproject.toml.

Only what pyproject.toml cannot say: the top-level resources/ folder becomes the package
`monsisra_resources` (a package-dir mapping beside a package search), and a wheel is refused when
one of its resource files is missing (scripts/resource_files.py), since a build without them
runs but shows an unstyled window. An editable install is not checked: it reads the checkout's
folder, where the .qm and the notices are built after the install (make).
"""

import sys
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from scripts import resource_files  # noqa: E402 - after the checkout is on the path


class BuildWithResources(build_py):
    def run(self) -> None:
        if not self.editable_mode:
            resource_files.check(ROOT / "resources")
        super().run()


setup(
    packages=[*find_packages(include=["app*", "ui*", "server*"]), resource_files.PACKAGE],
    package_dir={resource_files.PACKAGE: "resources"},
    package_data={
        "server": ["demo/data/*.csv", "demo/data/*.txt", "portal/data/*.txt", "portal/static/*"],
        resource_files.PACKAGE: ["*.qss", "icons/*.svg", "translations/*.qm", "notices/*.txt"],
    },
    cmdclass={"build_py": BuildWithResources},
)
