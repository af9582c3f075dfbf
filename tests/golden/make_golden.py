"""Regenerate the golden executed notebook that strict nbval compares against.

Run after an intended change to the methodology, the narrative or the views:

    .venv/bin/python tests/golden/make_golden.py

It executes ``notebooks/assessment.ipynb`` with its default parameters (the
demo client named there) and stores the result with stable cell ids and no
timing metadata. Review the diff before committing it.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from revkit.paths import NOTEBOOKS_DIR
from revkit.report.render import clean_notebook

GOLDEN = Path(__file__).resolve().parent / "assessment-helix-cloud.ipynb"
# the same rule as sanitize.cfg: images are not compared, so they are not stored
IMAGE = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


def main() -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / "assessment.ipynb", as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(GOLDEN.parent)}}).execute()
    nb = clean_notebook(nb)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html:
                output["data"]["text/html"] = IMAGE.sub("data:image/png;base64,IMAGE", html)
    nbformat.write(nb, GOLDEN)
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
