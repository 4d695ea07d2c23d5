"""What can go wrong with a feed, and whether retrying soon could help."""


class FeedProblem(Exception):
    """A feed that could not be read this time; `quarantine` marks problems a quick retry will not fix
    (hostile or oversized documents, refused addresses, pages that are not feeds)."""

    def __init__(self, message: str, *, quarantine: bool = False):
        super().__init__(message)
        self.quarantine = quarantine
