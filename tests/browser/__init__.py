"""Tests in a real browser (Chromium driven by Playwright) against the app on a loopback server."""
