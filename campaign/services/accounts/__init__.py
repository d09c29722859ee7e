"""Staff accounts: users, passwords, roles."""
