"""The error types services raise for input a user can correct; their messages are shown as they are."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class ServiceError(ValueError):
    """Bad input or a refused action, with a German message meant for the user.

    `field` names the form field the message belongs to, so a form can show it beside that field
    (empty: the whole form).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field

    def by_field(self) -> dict[str, str]:
        """The messages by the field they belong to: several when a subclass holds `errors`, else this one."""
        return dict(getattr(self, "errors", None) or {self.field: str(self)})


class FieldErrors(ServiceError):
    """Several fields are wrong at once: `errors` maps each field's name to its message, so that a form shows every
    mistake in one answer instead of one per round."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()), next(iter(self.errors), ""))


class ErrorCollector:
    """Runs a form's checks one after another and keeps the first message per field, so that every wrong field is
    named at once (`raise_if_any`), not only the first."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def check(self, function: Callable[..., T], *args: Any, otherwise: Any = None, **kwargs: Any) -> T:
        """`function(*args, **kwargs)`, or `otherwise` after noting its ServiceError (each of its fields' messages)."""
        try:
            return function(*args, **kwargs)
        except ServiceError as error:
            for field, message in error.by_field().items():
                self.add(field, message)
            return otherwise

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise FieldErrors(self.errors)
