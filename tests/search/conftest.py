from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def gazetteer(db: Any) -> None:
    from aigaq.people.gazetteer import gazetteer_load

    gazetteer_load()
