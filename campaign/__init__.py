"""Letter-campaign and advocacy tool: the application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from campaign import config as settings
from campaign.db import db, ping_idle_connections
from campaign.extensions import babel, csrf, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None, *, web: bool = True) -> Flask:
    """Build the app: defaults → instance/config.py → environment → `config`, then extensions and blueprints.

    `web=False` leaves out the web pages (blueprints, page hooks, the browser's language): for the worker and the
    commands, which never answer a request and start a fifth of a second sooner without them.
    """
    # Imported here, not with the package: processes that only use models and services (the PDF render
    # processes, whose fork server imports `campaign`) do not load the web layer and the job queue.
    from campaign.jobs import init_jobs

    overrides = dict(config or {})
    instance_path = overrides.get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH") or PROJECT_ROOT / "instance"
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    app.config.from_object(settings.Defaults)
    app.config.from_pyfile("config.py", silent=True)
    settings.apply_environment(app.config)
    app.config.from_mapping(overrides)
    settings.finalise(app.config, app.instance_path)

    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            ping_idle_connections(engine)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    init_jobs(app)
    if web:
        from campaign.web import register_web
        from campaign.web.language import select_locale

        babel.init_app(app, locale_selector=select_locale)
        register_web(app)
    else:
        babel.init_app(app)  # BABEL_DEFAULT_LOCALE: German, as the web's selector answers outside a request
    return app
