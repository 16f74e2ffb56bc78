"""Write the release files of the data package: dist/<name>-<version>.zip and its SHA-256
checksum dist/<name>-<version>.zip.sha256 (``sha256sum -c`` format).

    python scripts/build_zip.py [--out DIR] [--site-url URL]

--site-url (default: the SITE_URL environment variable) is the site's published address; the
zip's datapackage.json then names this version's page on the site as its ``homepage``, and its
CITATION.cff that page as its ``url``. The zip is deterministic: same files, same bytes.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from transparency.downloads import write_checksum, write_zip  # noqa: E402
from transparency.package import ROOT, load_package  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="folder to write into (default: dist/)")
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL") or None,
                        help="the site's published address, ending in '/' (default: $SITE_URL)")
    args = parser.parse_args(argv)
    site_url = args.site_url if not args.site_url or args.site_url.endswith("/") else args.site_url + "/"
    archive = write_zip(load_package(), args.out, site_url)
    print(archive)
    print(write_checksum(archive))
    return 0


if __name__ == "__main__":
    sys.exit(main())
