"""Explicit hooks about testifiers and their testimonies (no Django signals), for features that
lie above this layer and may not be imported by the code that runs the hook.

The demo (aigaq.demo) runs DEMO_CASES once its synthetic persons and testimonies are made; the
casework app registers the family contacts it adds to them (aigaq.casework.demo)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

DEMO_CASES: list[Callable[[random.Random, list[Any]], tuple[int, int]]] = []
"""Run by aigaq.demo with its random generator and some demo persons who have testimonies:
each hook adds its own synthetic records about them and returns (records made, log entries
made)."""
