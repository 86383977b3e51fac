"""The app factory whosaid's temporary Prefect server runs: Prefect's own ``create_app``, with
the cyclic garbage collector paused while Prefect's server modules import and the app is built
(:mod:`whosaid.gc_startup`). The server is otherwise Prefect's: same app, settings and services."""

from __future__ import annotations

from whosaid.gc_startup import collector_paused


def create_app():
    with collector_paused():
        from prefect.server.api.server import create_app as prefect_create_app

        return prefect_create_app()
