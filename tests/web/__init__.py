"""Tests of the web layer: pages, forms, access rules and the request boundary, through the Flask test client."""
