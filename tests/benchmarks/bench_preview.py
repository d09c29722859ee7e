"""Letter preview benchmark: the preview PDF of one letter, cold (the first after start) and warm (later ones, each
for another recipient, so each has its own text), through the real preview URL; prints JSON.

"warm_p50_s" is what an organiser waits for while editing a template on a running server.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

RECIPIENTS = 12


def main() -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from campaign import create_app
    from campaign.db import db
    from campaign.models import Recipient, Role
    from tests.factories import PASSWORD, make_user
    from tests.web.factories import make_print_campaign

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "INSTANCE_PATH": str(Path(folder) / "instance"),
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3",
                "SECRET_KEY": "bench",
                "JOBS_URL": "immediate",
                "WTF_CSRF_ENABLED": False,
                "PASSWORD_HASH_TIME_COST": 1,
                "PASSWORD_HASH_MEMORY_KIB": 8,
                "PASSWORD_HASH_PARALLELISM": 1,
            }
        )
        with app.app_context():
            upgrade()
            campaign = make_print_campaign(db.session, RECIPIENTS)
            email = make_user(db.session, Role.ORGANISER).email
            db.session.commit()
            slug = campaign.slug
            recipients = list(db.session.scalars(select(Recipient.id).order_by(Recipient.id)))
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": PASSWORD})

        def preview(recipient_id: int) -> float:
            started = time.perf_counter()
            response = client.get(f"/organise/campaigns/{slug}/preview.pdf?recipient={recipient_id}")
            elapsed = time.perf_counter() - started
            assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
            return elapsed

        cold = preview(recipients[0])
        warm = [preview(recipient_id) for recipient_id in recipients[1:]]
    print(
        json.dumps(
            {
                "bench": "preview",
                "cores": os.cpu_count(),
                "cold_s": round(cold, 3),
                "warm_p50_s": round(statistics.median(warm), 3),
                "warm_max_s": round(max(warm), 3),
                "previews": len(warm) + 1,
            }
        )
    )


if __name__ == "__main__":
    main()
