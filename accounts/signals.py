"""What a reader's account announces to the apps above it."""

from django.dispatch import Signal

# A reader changed the name shown with their comments; sent once committed, with `user_id`.
display_name_changed = Signal()
