"""Attacks through the real interfaces: each test is one finding of the security review, fixed."""
