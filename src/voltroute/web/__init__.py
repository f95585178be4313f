"""The web page's static files (HTML, JS, CSS); its libraries are copied into static/vendor by
scripts/setup from npm (package-lock.json)."""

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"
"""Served at /web; index.html also at /."""

__all__ = ["STATIC_DIR"]
