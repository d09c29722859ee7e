"""Letter-campaign and advocacy tool: the application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from campaign import config as settings
from campaign.db import db
from campaign.extensions import babel, csrf, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults → instance/config.py → environment → `config`, then extensions and blueprints."""
    # Imported here, not with the package: processes that only use models and services (the PDF render
    # processes, whose fork server imports `campaign`) do not load the web layer and the job queue.
    from campaign.jobs import init_jobs
    from campaign.web import register_web
    from campaign.web.language import select_locale

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
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True, compare_type=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_jobs(app)
    register_web(app)
    return app
