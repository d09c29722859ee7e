"""The shared text and date helpers: slugs, keys, web addresses, folding, countries, German dates."""

from datetime import date

import pytest

from campaign.services.common.dates import german_date, german_month
from campaign.services.common.errors import ServiceError
from campaign.services.common.text import (
    check_url,
    fold_text,
    format_thousands,
    is_germany,
    is_slug,
    slugify,
    unique_slug,
)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("NRW, jetzt erst gerecht!", "nrw-jetzt-erst-gerecht"),
        ("Räumliche Migration", "raeumliche-migration"),
        ("Ayşe Karadağ", "ayse-karadag"),
        ("Paweł Großmann", "pawel-grossmann"),
        ("Ørsted Æble Œuvre", "orsted-aeble-oeuvre"),
        ("„!?“", ""),
    ],
)
def test_slugify_spells_out_umlauts_and_drops_other_accents(text, slug):
    assert slugify(text) == slug
    assert slug == "" or is_slug(slug)


def test_slugify_cuts_at_the_limit_without_a_trailing_hyphen():
    assert slugify("aaaa bbbb", max_length=5) == "aaaa"


def test_unique_slug_counts_up_until_free_and_falls_back_for_empty_text():
    taken = {"quelle", "quelle-2"}
    assert unique_slug("Quelle", taken.__contains__, fallback="x") == "quelle-3"
    assert unique_slug("!!!", taken.__contains__, fallback="argument") == "argument"


@pytest.mark.parametrize("slug", ["Gross", "a--b", "-a", "a_b", "ä", "a" * 121])
def test_malformed_slugs_are_recognised(slug):
    assert not is_slug(slug)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://example.org/x", "/relativ", "https://", "https://exa mple.org", "data:,x"]
)
def test_only_http_addresses_are_accepted_and_the_field_is_named(url):
    with pytest.raises(ServiceError, match="https://") as caught:
        check_url(url, "source_url")
    assert caught.value.field == "source_url"


def test_urls_have_one_length_limit():
    assert check_url("  https://example.org/a  ") == "https://example.org/a"
    assert check_url("") == ""
    with pytest.raises(ServiceError, match="1000"):
        check_url("https://example.org/" + "a" * 1000)


def test_fold_text_matches_spellings_of_one_name_but_keeps_other_scripts():
    assert fold_text("Müller-Lüdenscheidt") == fold_text("mueller lüdenscheidt") == "muellerluedenscheidt"
    assert fold_text("Karadağ") == "karadag"
    assert fold_text("Иван") == "иван"


@pytest.mark.parametrize("country", ["", "Deutschland", "DE", "germany", "Bundesrepublik Deutschland", "D"])
def test_germany_in_its_common_spellings(country):
    assert is_germany(country)


@pytest.mark.parametrize("country", ["Österreich", "Polska", "NL"])
def test_other_countries_are_not_germany(country):
    assert not is_germany(country)


def test_german_dates_and_numbers():
    assert german_date(date(2026, 1, 26)) == "26. Januar 2026"
    assert german_date(None) == ""
    assert german_month(date(2025, 3, 1)) == "März 2025"
    assert format_thousands(1234567) == "1.234.567"


def test_numbers_are_grouped_and_sizes_written_as_the_page_language_writes_them(app):
    from campaign.services.common.text import format_megabytes

    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert (format_thousands(1234567), format_megabytes(5 * 1024 * 1024 + 1)) == ("1,234,567", "5.1 MB")
    with app.test_request_context():
        assert (format_thousands(1234567), format_megabytes(5 * 1024 * 1024 + 1)) == ("1.234.567", "5,1 MB")


def test_megabytes_are_rounded_up_so_just_over_the_limit_never_reads_as_the_limit():
    from campaign.services.common.text import format_megabytes

    assert format_megabytes(5 * 1024 * 1024) == "5,0 MB"
    assert format_megabytes(5 * 1024 * 1024 + 1) == "5,1 MB"
    assert format_megabytes(9 * 1024 * 1024) == "9,0 MB"
