"""Recipients: people and groups (people), recipient lists (lists), and the file import (imports)."""
