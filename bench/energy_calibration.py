"""Write docs/energy-calibration.md: the energy model against published consumption figures.

Usage: .venv/bin/python bench/energy_calibration.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from voltroute.vehicles.calibration import calibration_rows, render_markdown

REPORT = Path(__file__).resolve().parent.parent / "docs" / "energy-calibration.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the report is stale")
    args = parser.parse_args()
    text = render_markdown(calibration_rows())
    if args.check:
        current = REPORT.read_text("utf-8") if REPORT.exists() else ""
        if current != text:
            print(f"{REPORT} is stale: run bench/energy_calibration.py", file=sys.stderr)
            return 1
        return 0
    REPORT.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
