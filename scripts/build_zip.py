"""Write dist/<package-name>-<version>.zip, the release asset of the data package."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency.downloads import write_zip  # noqa: E402
from transparency.package import ROOT, load_package  # noqa: E402

if __name__ == "__main__":
    print(write_zip(load_package(), ROOT / "dist"))
