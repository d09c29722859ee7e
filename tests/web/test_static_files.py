"""Static files: pages link them with a fingerprint of their content, which browsers keep for a year; a changed file
gets a new fingerprint, and a URL without one (or with an old one) is checked with the server as before."""

from __future__ import annotations

import re

from campaign.models import Role
from campaign.web.static_files import MAX_AGE_SECONDS, Fingerprints


def _linked(page: str, name: str) -> str:
    return re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{12}})"', page)[1]


def test_pages_link_fingerprinted_files_which_browsers_keep_for_a_year(client, login):
    stylesheet = _linked(client.get("/").get_data(as_text=True), "css/app.css")
    with client.get(stylesheet) as kept:
        assert kept.status_code == 200 and b".skip-link" in kept.data
        assert kept.cache_control.max_age == MAX_AGE_SECONDS and kept.cache_control.immutable
        assert kept.cache_control.public and not kept.cache_control.no_cache
    # Staff pages are never cached, the files they link still are.
    login(Role.ORGANISER)
    page = client.get("/organise/")
    assert page.headers["Cache-Control"] == "no-store"
    with client.get(_linked(page.get_data(as_text=True), "vendor/pico/pico.min.css")) as pico:
        assert pico.cache_control.max_age == MAX_AGE_SECONDS


def test_a_url_without_or_with_an_old_fingerprint_is_checked_with_the_server(client):
    for url in ("/static/css/app.css", "/static/css/app.css?v=000000000000", "/static/css/app.css?v=ünsinn"):
        with client.get(url) as answer:
            assert answer.status_code == 200 and answer.cache_control.no_cache, url
            assert not answer.cache_control.max_age, url
    with client.get("/static/css/gibt-es-nicht.css?v=000000000000") as missing:
        assert missing.status_code == 404 and not missing.cache_control.max_age


def test_a_changed_file_gets_a_new_fingerprint_and_nothing_outside_the_folder_gets_one(tmp_path):
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    stylesheet = folder / "css" / "app.css"
    stylesheet.write_text("body { color: black; }")
    (tmp_path / "geheim.txt").write_text("nicht öffentlich")
    fingerprints = Fingerprints(str(folder))
    first = fingerprints.of("css/app.css")
    assert re.fullmatch(r"[0-9a-f]{12}", first) and fingerprints.of("css/app.css") == first

    stylesheet.write_text("body { color: green; }")  # same size, new content: a release that changed the file
    assert fingerprints.of("css/app.css") not in (None, first)
    assert fingerprints.of("../geheim.txt") is None
    assert fingerprints.of("css/fehlt.css") is None and fingerprints.of("css") is None
