"""The examples in the docstrings of aigaq.names are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "aigaq.names.normalize",
    "aigaq.names.scripts",
    "aigaq.names.translit",
    "aigaq.names.han",
    "aigaq.names.pinyin",
    "aigaq.names.palladius",
    "aigaq.names.equivalents",
    "aigaq.names.parts",
    "aigaq.names.keys",
    "aigaq.names.similarity",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
