"""Start-up cost: building the app, the CLI and the job modules loads no PDF stack; the first render loads it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

# Run in a fresh interpreter: this test process has long imported WeasyPrint for other tests.
SCRIPT = textwrap.dedent(
    """
    import json, sys
    from campaign import create_app
    import campaign.cli, campaign.jobs.letters, campaign.services.letters.batch.run

    instance = sys.argv[1]
    create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "INSTANCE_PATH": instance,
        "DATABASE_URL": "sqlite:///" + instance + "/start.sqlite3",
        "JOBS_URL": "immediate",
    })
    loaded_at_start = sorted(name for name in ("weasyprint", "pydyf") if name in sys.modules)

    from campaign.services.letters.pdf import render_pdf
    pdf = render_pdf("<p>Guten Tag ğ ł ß é</p>")
    print(json.dumps({"at_start": loaded_at_start, "pdf": pdf[:5].decode(), "after": "weasyprint" in sys.modules}))
    """
)


def test_building_the_app_does_not_import_weasyprint(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["at_start"] == []
    assert report["pdf"] == "%PDF-" and report["after"] is True
