"""What the article workflow announces, for the apps that act on it (alerts, the caches).

Each is sent with `article_id`. The workflow imports none of its listeners.
"""

from django.dispatch import Signal

# A story became visible to readers: published now, or a scheduled story whose moment came.
# Sent once the change is committed.
article_went_live = Signal()

# A story was taken down. Sent inside the transaction that unpublishes it, so that what the
# listeners write (withdrawn alert deliveries) commits or rolls back with it.
article_unpublished = Signal()

# A story was deleted outright. Sent inside the deleting transaction.
article_deleted = Signal()
