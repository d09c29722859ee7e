"""What every feature's services share: errors, audit log, state transitions, jobs, text, dates, e-mails, Markdown."""
