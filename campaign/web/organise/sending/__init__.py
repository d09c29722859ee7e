"""The sending screen of a campaign: approval, queue, schedule, pause, paper letters and failing addresses."""
