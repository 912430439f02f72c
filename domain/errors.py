"""Errors the domain raises; the service maps each family to one HTTP status."""


class DomainError(Exception):
    """Base of every refusal the programme's rules make."""

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors


class NotFoundError(DomainError):
    """No such town, village, account, contest or sheet."""


class RuleError(DomainError):
    """A rule refuses the command in the current state (wrong stage, duplicate, closed month)."""


class InvalidError(DomainError):
    """The command's values break the rules of their own (a mark above its maximum)."""


class ForbiddenError(DomainError):
    """The actor may not do this (a judge off the panel)."""
