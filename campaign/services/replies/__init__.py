"""Replies: import from files and IMAP, matching to letters, text extraction, auto-reply and bounce detection,
the suggested quality, what coordinators record, the tracking board, recipient histories and follow-ups."""
