"""Campaign screens: list, create, edit, status, duplicate, the hub page, and the campaign's targets."""
