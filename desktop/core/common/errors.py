"""Errors a user can act on. The message names the file or thing and says what to do."""


class ZichaError(Exception):
    """A failure the user caused or can fix; its message is shown as is (one line).

    The message is for everybody (the window shows it too), so it names no command. What to
    type at the command line to fix it goes in `hint` (e.g. "用 zicha user add 登记"): the
    `zicha` command appends it, the window leaves it out.
    """

    def __init__(self, *args: object, hint: str = "") -> None:
        super().__init__(*args)
        self.hint = hint


class NotAnArchive(ZichaError):
    pass


class ArchiveLocked(ZichaError):
    pass


class UnknownCode(ZichaError):
    pass
