from allauth.account.adapter import DefaultAccountAdapter


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth as it comes, but for how a password is saved."""

    def set_password(self, user, password):
        """Only the password is written: the reader's row may come from the cache
        (accounts/backends.py), and saving all of it could undo a change made meanwhile."""
        user.set_password(password)
        user.save(update_fields=["password"])
