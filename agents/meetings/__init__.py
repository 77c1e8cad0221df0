"""The meeting scheduler: availability, booking requests, owner approval, invites, reminders."""
