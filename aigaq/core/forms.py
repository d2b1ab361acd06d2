"""What every form of every interface shares: the length limits of text fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator

from aigaq.core.validators import TEXT_MAX, TextLimit


class LengthLimits:
    """A form mixin (put it first: ``class F(LengthLimits, forms.Form)``). Every text field has
    a limit: its own `max_length`, or `default_max` for one without (a text area), and is
    refused over it with the sentence that says both numbers (``core.validators.TextLimit``).
    Fields added in a form's own ``__init__`` are limited too, when the form is checked."""

    default_max = TEXT_MAX

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_limits()

    def apply_limits(self) -> None:
        fields: dict[str, forms.Field] = self.fields  # type: ignore[attr-defined]
        for field in fields.values():
            if not isinstance(field, forms.CharField) or getattr(field, "_limited", False):
                continue
            if isinstance(field.widget, forms.PasswordInput):
                continue  # a passphrase: its own rules, never echoed
            limit = field.max_length or self.default_max
            field.max_length = limit
            field.validators = [
                v for v in field.validators if not isinstance(v, MaxLengthValidator)
            ] + [TextLimit(limit)]
            field.widget.attrs["maxlength"] = str(limit)
            field._limited = True  # type: ignore[attr-defined]

    def full_clean(self) -> None:
        self.apply_limits()
        super().full_clean()  # type: ignore[misc]
