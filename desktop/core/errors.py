"""Errors a user can act on. The message names the file or thing and says what to do."""


class ZichaError(Exception):
    """A failure the user caused or can fix; its message is shown as is (one line)."""


class NotAnArchive(ZichaError):
    pass


class ArchiveLocked(ZichaError):
    pass


class UnknownCode(ZichaError):
    pass
