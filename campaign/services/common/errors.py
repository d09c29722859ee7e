"""The error type services raise for input a user can correct; its message is shown as is."""


class ServiceError(ValueError):
    """Bad input or a refused action, with a German message meant for the user.

    `field` names the form field the message belongs to, so a form can show it beside that field
    (empty: the whole form).
    """

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
