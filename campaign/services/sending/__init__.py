"""Sending: MIME messages built once, the transactional outbox, mail transports, letter lifecycle and bounces."""
