"""The error type services raise for input a user can correct; its message is shown as is."""


class ServiceError(ValueError):
    """Bad input or a refused action, with a German message meant for the user."""
