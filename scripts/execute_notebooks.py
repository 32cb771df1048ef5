"""Execute the analyst notebooks in place, so a code host shows their tables and pictures.

Run from the repo root after changing a notebook or anything its outputs depend on:

    python scripts/execute_notebooks.py                 # 01-07
    python scripts/execute_notebooks.py notebooks/03_south_caucasus.ipynb

Each notebook runs in a temporary working directory (nothing is written beside it). Figures are
stored as PNG at most 960 px wide with a 96-colour palette; outputs too large for a code host to
show (the interactive maps: MB of HTML and script that GitHub does not run) are replaced by a
line saying so, and each code cell records a hash of its source: ``tests/test_notebooks.py``
fails when a cell was edited after the notebook was executed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
EXECUTED = [
    ROOT / "notebooks" / f"{n}.ipynb"
    for n in (
        "01_quickstart",
        "02_bypassing_russia",
        "03_south_caucasus",
        "04_scenarios",
        "05_own_data",
        "06_reliability",
        "07_volumes",
    )
]
"""The notebooks stored executed (those added later may be stored without outputs)."""

MAX_WIDTH_PX = 960  # stored pictures: wide enough to read a map's labels on a code host
COLOURS = 96
MAX_OUTPUT_BYTES = 300_000  # one output larger than this is dropped from the stored copy
MAX_NOTEBOOK_BYTES = 1_500_000
FIGURE_DPI = 72  # inline figures: PNG at 72 dpi keeps a notebook of maps under 1.5 MB
KERNEL_ARGS = [
    "--InlineBackend.figure_formats=png",
    f"--InlineBackend.rc={{'figure.dpi': {FIGURE_DPI}}}",
]


def source_hash(source: str) -> str:
    """Return the hash a code cell's source is stored with (first 16 hex digits of SHA-256)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def _downscale_png(data: str) -> str:
    """Return a base64 PNG at most ``MAX_WIDTH_PX`` wide with a palette of ``COLOURS`` colours.

    The maps are drawn at 110 dpi for print (``corridors.maps``); a stored copy needs less, and
    maps have few colours, so a palette keeps them legible at a fraction of the bytes.
    """
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    if image.width > MAX_WIDTH_PX:
        height = round(image.height * MAX_WIDTH_PX / image.width)
        image = image.convert("RGB").resize((MAX_WIDTH_PX, height), Image.Resampling.LANCZOS)
    image = image.convert("RGB").quantize(colors=COLOURS, dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return base64.b64encode(out.getvalue()).decode("ascii")


def _downscale(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                output.data["image/png"] = _downscale_png(output.data["image/png"])
                output.get("metadata", {}).pop("image/png", None)  # the old width and height


def _size(output: nbformat.NotebookNode) -> int:
    return len(json.dumps(output))


def _shrink(nb: nbformat.NotebookNode) -> list[str]:
    """Drop outputs too large to store; return what was dropped, for the log."""
    dropped = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            size = _size(output)
            if size <= MAX_OUTPUT_BYTES:
                kept.append(output)
                continue
            kinds = ", ".join(sorted(output.get("data", {}))) or output.output_type
            dropped.append(f"cell {i}: {kinds} ({size / 1e6:.1f} MB)")
            kept.append(
                nbformat.v4.new_output(
                    "stream",
                    name="stdout",
                    text=(
                        f"[output not stored: {kinds}, {size / 1e6:.1f} MB; "
                        "run the cell to see it]\n"
                    ),
                )
            )
        cell.outputs = kept
    return dropped


def execute(path: Path) -> int:
    """Execute one notebook in place; return its size in bytes."""
    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as work:
        NotebookClient(
            nb,
            kernel_name="python3",
            timeout=600,
            allow_errors=False,
            extra_arguments=KERNEL_ARGS,
            resources={"metadata": {"path": work}},
        ).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata["corridors"] = {"source_sha256": source_hash(cell.source)}
    _downscale(nb)
    dropped = _shrink(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    size = path.stat().st_size
    note = f"; dropped {'; '.join(dropped)}" if dropped else ""
    print(f"{path.name}: {size / 1e6:.2f} MB{note}")
    return size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: 01-05")
    args = parser.parse_args()
    too_big = [p.name for p in args.notebooks or EXECUTED if execute(p) > MAX_NOTEBOOK_BYTES]
    if too_big:
        print(f"over {MAX_NOTEBOOK_BYTES / 1e6:.1f} MB: {', '.join(too_big)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
