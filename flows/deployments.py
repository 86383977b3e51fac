"""The scheduled deployment of the ETL flow — the one place it is defined.

``whosaid serve`` (and ``make serve``) registers this deployment, with a cron schedule, on the
Prefect server PREFECT_API_URL points at, and then *is* the process that executes its runs (Prefect's
``serve``: no work pool or worker to manage). Schedules live on the server, so a real
``prefect server start`` (or Prefect Cloud) is needed; the temporary server Prefect starts for a
plain ``whosaid run`` disappears with its process and could never fire a schedule.

Runs never overlap (concurrency limit 1 on the deployment, and the serve process runs one flow run
at a time): DuckDB allows one writer process per file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FLOW_NAME = "whosaid-etl"
DEPLOYMENT_NAME = "whosaid-scheduled"
DEFAULT_CRON = "*/30 * * * *"
DEFAULT_TIMEZONE = "UTC"


class NoPrefectServer(RuntimeError):
    """Scheduling needs a running Prefect server and PREFECT_API_URL pointing at it."""


def full_name(name: str = DEPLOYMENT_NAME) -> str:
    """How Prefect names it: ``prefect deployment run 'whosaid-etl/whosaid-scheduled'``."""
    return f"{FLOW_NAME}/{name}"


def deployment_parameters(inputs: Sequence[str], warehouse: str | Path) -> dict:
    """Flow parameters stored on the deployment. Paths are made absolute: runs start in the serve
    process's working directory, which need not be the one the deployment was registered from."""
    from whosaid.feeds import is_url

    return {
        "inputs": [str(i) if is_url(str(i)) else str(Path(i).resolve()) for i in inputs],
        "warehouse_path": str(Path(warehouse).resolve()),
    }


def build_deployment(
    inputs: Sequence[str],
    warehouse: str | Path,
    cron: str = DEFAULT_CRON,
    name: str = DEPLOYMENT_NAME,
    timezone: str = DEFAULT_TIMEZONE,
):
    """The deployment: the ETL flow (by module path, so any process with whosaid installed can run
    it), its inputs and warehouse as parameters, and one cron schedule."""
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.deployments.runner import EntrypointType

    from flows.etl import etl_flow

    return etl_flow.to_deployment(
        name=name,
        schedules=[CronSchedule(cron=cron, timezone=timezone)],
        parameters=deployment_parameters(inputs, warehouse),
        concurrency_limit=1,
        entrypoint_type=EntrypointType.MODULE_PATH,
        tags=["whosaid"],
        description="whosaid ETL: articles and feeds → DuckDB warehouse of who said / accused whom.",
    )


def require_prefect_server(timeout: float = 5.0) -> str:
    """The API URL, after checking a server answers there; a clear error otherwise."""
    import httpx
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise NoPrefectServer(
            "no Prefect server configured: start one with `prefect server start` and point whosaid at it "
            "with `export PREFECT_API_URL=http://127.0.0.1:4200/api` (or `prefect config set PREFECT_API_URL=...`)"
        )
    try:
        httpx.get(f"{url.rstrip('/')}/health", timeout=timeout, trust_env=False).raise_for_status()
    except httpx.HTTPError as exc:
        raise NoPrefectServer(f"no Prefect server answering at {url} ({type(exc).__name__}: {exc})") from exc
    return url


def serve(
    inputs: Sequence[str],
    warehouse: str | Path,
    cron: str = DEFAULT_CRON,
    name: str = DEPLOYMENT_NAME,
    timezone: str = DEFAULT_TIMEZONE,
) -> None:
    """Register the deployment and execute its runs until interrupted (Ctrl-C pauses the schedule,
    so nothing piles up while no process is there to run it)."""
    from prefect import serve as prefect_serve

    require_prefect_server()
    prefect_serve(build_deployment(inputs, warehouse, cron, name, timezone), limit=1, pause_on_shutdown=True)
