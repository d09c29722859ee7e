"""The start-up check of the PDF libraries (`make` after installing, `make run` before starting), as a script."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import campaign.checks
from campaign.checks import explain_failure

# Run as a script, as the Makefile does: importing the package `campaign` would load WeasyPrint first.
CHECK = campaign.checks.__file__

# Loaded by every Python process that has this folder on PYTHONPATH (also the check's own probe process):
# cffi refuses the libraries named in HIDDEN_LIBRARIES, as on a machine where their package is missing.
SITECUSTOMIZE = textwrap.dedent(
    """
    import os
    import cffi

    hidden = os.environ["HIDDEN_LIBRARIES"].split(",")
    original = cffi.FFI.dlopen

    def dlopen(self, name, *args):
        if any(part in str(name) for part in hidden):
            raise OSError(f"cannot load library '{name}': not installed")
        return original(self, name, *args)

    cffi.FFI.dlopen = dlopen
    """
)


@pytest.fixture
def without(tmp_path):
    """Run Python with some libraries unfindable and warnings as errors (as `filterwarnings = error` does)."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)

    def run(hidden: str, *args: str) -> subprocess.CompletedProcess:
        environment = {**os.environ, "PYTHONPATH": str(tmp_path), "HIDDEN_LIBRARIES": hidden}
        command = [sys.executable, "-W", "error", *args]
        return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)

    return run


def test_the_check_passes_silently_when_every_library_is_there(without):
    result = without("nothing-hidden", CHECK)
    assert (result.returncode, result.stderr) == (0, "")


def test_without_harfbuzz_subset_importing_weasyprint_fails_under_warnings_as_errors(without):
    # What stopped `make test` while collecting the tests: the check must not pass on such a machine.
    result = without("harfbuzz-subset", "-c", "import weasyprint")
    assert result.returncode != 0 and "HarfBuzz-Subset will be required" in result.stderr


def test_the_check_names_the_missing_harfbuzz_subset_package(without):
    result = without("harfbuzz-subset", CHECK)
    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: WeasyPrint findet die Bibliothek HarfBuzz-Subset nicht")
    assert "sudo apt-get install libharfbuzz-subset0" in result.stderr and "Traceback" not in result.stderr


def test_make_run_only_warns_and_starts_anyway(without):
    result = without("harfbuzz-subset", CHECK, "--warn")
    assert result.returncode == 0
    assert result.stderr.startswith("Warnung: WeasyPrint findet die Bibliothek HarfBuzz-Subset nicht")


@pytest.mark.parametrize("flags", [[], ["--warn"]], ids=["make-test", "make-run"])
def test_without_pango_the_check_gives_the_install_command_and_stops(without, flags):
    result = without("pango", CHECK, *flags)
    assert result.returncode == 1
    assert result.stderr.startswith("Fehler: WeasyPrint braucht die Systembibliotheken Pango und HarfBuzz")
    assert "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0" in result.stderr
    assert "cannot load library 'libpango-1.0-0'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("Traceback …\nDeprecationWarning: HarfBuzz-Subset will be required …\n", "libharfbuzz-subset0"),
        ("Traceback …\nOSError: cannot load library 'libpango-1.0-0'\n", "(OSError: cannot load library"),
        ("", "(ohne Meldung abgebrochen)"),
    ],
    ids=["harfbuzz-subset", "pango", "silent"],
)
def test_each_failure_gets_its_explanation(output, expected):
    assert expected in explain_failure(output).message
