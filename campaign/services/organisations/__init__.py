"""Sending organisations (letterhead, signatories) and their uploaded images."""
