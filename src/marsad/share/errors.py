"""The one error type of marsad.share: its message names what is wrong and how to fix it."""


class ShareError(ValueError):
    """A sharing operation was refused (unknown organisation, duplicate name, bad marking …)."""
