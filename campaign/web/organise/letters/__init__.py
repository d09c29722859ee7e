"""A campaign's letters: its page and template editor (templates), argument choice (selection), preview and exports."""
