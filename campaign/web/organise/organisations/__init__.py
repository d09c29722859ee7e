"""Sending organisations: letterhead, logo, signatories and footer."""
