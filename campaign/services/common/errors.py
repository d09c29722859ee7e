"""The error types services raise for input a user can correct; their messages are shown as they are."""

from collections.abc import Mapping


class ServiceError(ValueError):
    """Bad input or a refused action, with a German message meant for the user.

    `field` names the form field the message belongs to, so a form can show it beside that field
    (empty: the whole form).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class FieldErrors(ServiceError):
    """Several fields are wrong at once: `errors` maps each field's name to its message, so that a form shows every
    mistake in one answer instead of one per round."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()), next(iter(self.errors), ""))
