"""The Xinjiang county map shipped with the site (data/xinjiang-counties.json; its source and
licence in data/README.md): read once, drawn as inline SVG by the map page."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

MAP_FILE = Path(__file__).resolve().parent / "data" / "xinjiang-counties.json"


@lru_cache(maxsize=1)
def county_map() -> dict[str, Any]:
    """{"width", "height", "counties": [{"zh", "code", "d", "cx", "cy"}, ...]}."""
    return dict(json.loads(MAP_FILE.read_text(encoding="utf-8")))
