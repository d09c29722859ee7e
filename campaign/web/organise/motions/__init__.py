"""Motions: the list, motion data and file imports (views), provisions and amendment drafts (provisions)."""
