"""The voltroute command: serve, worker, region build, tokens, vehicles."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from voltroute.config import Settings

if TYPE_CHECKING:
    from voltroute.tours.output import OutputFormat

app = typer.Typer(
    help="Voltroute: route planning for battery-electric heavy trucks.", no_args_is_help=True
)
region_app = typer.Typer(help="Build routable regions from OSM extracts.", no_args_is_help=True)
tokens_app = typer.Typer(help="Manage API tokens.", no_args_is_help=True)
vehicles_app = typer.Typer(help="The vehicle catalogue.", no_args_is_help=True)
stations_app = typer.Typer(help="The station registry of a region.", no_args_is_help=True)
db_app = typer.Typer(help="The job database.", no_args_is_help=True)
routing_app = typer.Typer(help="The routing engine as a service.", no_args_is_help=True)
app.add_typer(region_app, name="region")
app.add_typer(tokens_app, name="tokens")
app.add_typer(vehicles_app, name="vehicles")
app.add_typer(stations_app, name="stations")
app.add_typer(db_app, name="db")
app.add_typer(routing_app, name="routing")

# Messages are never hard-wrapped: a path or a URL in one stays whole (and greppable).
console = Console(stderr=True, soft_wrap=True)

DEMO_TENANT = "demo"
DEMO_USER = "demo"


class RichBuildProgress:
    """Shows region-building stages as progress bars."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None

    def __enter__(self) -> RichBuildProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._finish()
        self._progress.stop()

    def stage(self, name: str, total: int | None = None) -> None:
        self._finish()
        self._task = self._progress.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def _finish(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            self._progress.update(
                self._task,
                total=task.total or task.completed or 1,
                completed=task.total or task.completed or 1,
            )


def _ensure_served_region(settings: Settings) -> None:
    from voltroute.regions import ensure_region

    with RichBuildProgress() as progress:
        region = ensure_region(
            settings.region_source,
            settings.resolved_region_dir,
            elevation_sources=settings.region_elevation,
            progress=progress,
        )
    from voltroute.regions.station_counts import seed_and_count_stations

    for result in seed_and_count_stations(region.path, region.name):
        console.print(result.summary())
    console.print(f"Region [bold]{region.name}[/] ready at {region.path}")


def _demo_token(settings: Settings) -> str | None:
    """Create the demo tenant's token on first start; it is kept in data_dir for the demo only."""
    from voltroute.jobs.services import Backend

    token_file = settings.data_dir / "demo-token.txt"
    if settings.database_url is not None and settings.demo_token is None:
        return None  # a real deployment: tenants and tokens come from `voltroute tokens create`
    backend = Backend(settings)
    backend.migrate()
    if backend.tenants.has_tokens():
        return token_file.read_text().strip() if token_file.exists() else None
    token, _ = backend.tenants.create_token(
        DEMO_TENANT, DEMO_USER, "demo", token=settings.demo_token
    )
    token_file.parent.mkdir(parents=True, exist_ok=True)
    token_file.write_text(token + "\n")
    token_file.chmod(0o600)
    return token


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    worker: Annotated[bool, typer.Option(help="Also start a worker process.")] = True,
) -> None:
    """Build the region if needed, then run the API (and a worker) until Ctrl-C."""
    import uvicorn

    settings = Settings()
    _ensure_served_region(settings)
    token = _demo_token(settings)
    child: subprocess.Popen[bytes] | None = None
    if worker:
        child = subprocess.Popen([sys.executable, "-m", "voltroute", "worker"])
    bind_host, bind_port = host or settings.host, port or settings.port
    if token:
        console.print(
            f"Demo token: [bold]{token}[/]  (also in {settings.data_dir / 'demo-token.txt'})"
        )
    console.print(f"API on http://{bind_host}:{bind_port}  (OpenAPI at /docs)")
    try:
        uvicorn.run(
            "voltroute.api.app:create_app",
            factory=True,
            host=bind_host,
            port=bind_port,
            log_level="warning",
            # Longer than clients' usual 5 s keep-alive expiry, so the server never closes a
            # connection a polling client is about to reuse.
            timeout_keep_alive=30,
        )
    finally:
        if child is not None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()


@app.command("worker")
def worker_command() -> None:
    """Run a worker: plans queued jobs, recovers jobs of dead workers."""
    from voltroute.jobs.worker import run_worker

    run_worker(Settings())


@region_app.command("build")
def region_build(
    pbf: Annotated[Path, typer.Argument(help="OSM extract (.osm.pbf, .osm, .osm.gz).")],
    out: Annotated[Path | None, typer.Option(help="Region directory to write.")] = None,
    elevation: Annotated[
        list[Path] | None, typer.Option(help="Directory of SRTM .hgt/.hgt.zip tiles (repeat).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Region name (default: file name).")] = None,
    force: Annotated[bool, typer.Option(help="Rebuild even if up to date.")] = False,
    stations: Annotated[
        list[Path] | None,
        typer.Option(help="Station file to import, FORMAT:PATH, e.g. ocpi:cpo.json (repeat)."),
    ] = None,
) -> None:
    """Build a routable region: Valhalla tiles, elevation, manifest, station registry."""
    from voltroute.regions import build_region, ensure_region
    from voltroute.regions.station_counts import seed_and_count_stations
    from voltroute.stations.sources import ImportFormat

    settings = Settings()
    region_name = name or pbf.name.split(".")[0]
    target = out or settings.data_dir / "regions" / region_name
    build = build_region if force else ensure_region
    with RichBuildProgress() as progress:
        region = build(
            pbf, target, elevation_sources=elevation or [], name=region_name, progress=progress
        )
    counts = ", ".join(f"{k} {v}" for k, v in region.manifest.counts.items())
    console.print(f"Region [bold]{region.name}[/] at {region.path}: {counts}")
    station_files = []
    for spec in stations or []:
        file_format, _, path = str(spec).partition(":")
        station_files.append((Path(path), ImportFormat(file_format)))
    for result in seed_and_count_stations(region.path, region.name, station_files):
        console.print(result.summary())


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema (run once before starting several API processes)."""
    from voltroute.jobs.services import Backend

    Backend(Settings()).migrate()
    console.print("database schema is up to date")


@routing_app.command("serve")
def routing_serve(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8002,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(help="Worker threads (1..64).")] = 2,
) -> None:
    """Run valhalla_service on the served region (workers then use VOLTROUTE_VALHALLA_URL)."""
    from voltroute.regions import Region
    from voltroute.routing.service import service_command

    settings = Settings()
    region = Region.load(settings.resolved_region_dir)
    work_dir = settings.data_dir / "valhalla-service" / str(port)
    argv = service_command(region.valhalla_config_path(), host, port, threads, work_dir)
    console.print(f"valhalla_service for region {region.name} on http://{host}:{port}")
    os.execv(argv[0], argv)


@tokens_app.command("create")
def tokens_create(
    tenant: Annotated[str, typer.Option(help="Tenant name (created if new).")],
    user: Annotated[str, typer.Option(help="User name (created if new).")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    callback_url: Annotated[
        str | None, typer.Option(help="Default webhook URL for this token's jobs.")
    ] = None,
) -> None:
    """Issue a bearer token for a user of a tenant and print it once."""
    from voltroute.jobs.services import Backend
    from voltroute.jobs.webhooks import callback_url_problem

    if callback_url is not None and (problem := callback_url_problem(callback_url)):
        console.print(f"[red]--callback-url:[/] {problem}")
        raise typer.Exit(2)
    backend = Backend(Settings())
    backend.migrate()
    token, principal = backend.tenants.create_token(tenant, user, label, callback_url=callback_url)
    console.print(f"tenant_id={principal.tenant_id} user_id={principal.user_id}")
    typer.echo(token)


@tokens_app.command("audit")
def tokens_audit(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Entries to show.")] = 50,
    tenant: Annotated[str | None, typer.Option(help="Only this tenant (by name).")] = None,
) -> None:
    """List the newest authenticated requests: time, token, tenant, request, status, client."""
    from voltroute.jobs.services import Backend

    backend = Backend(Settings())
    backend.migrate()
    table = Table("time (UTC)", "token", "tenant", "method", "path", "status", "client")
    for entry in backend.token_audit.recent(limit, tenant):
        table.add_row(
            entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            f"{entry.token_id} {entry.token_label}".strip(),
            entry.tenant,
            entry.method,
            entry.path,
            str(entry.status_code),
            entry.client_address,
        )
    Console(width=200).print(table)


@vehicles_app.command("list")
def vehicles_list() -> None:
    """Print the vehicle catalogue."""
    from voltroute.vehicles import Catalogue

    catalogue = Catalogue()
    table = Table("vehicle_id", "manufacturer", "model", "battery kWh", "CCS kW", "MCS kW", "inlet")
    for vehicle_id in catalogue.ids():
        v = catalogue.get(vehicle_id)
        table.add_row(
            v.vehicle_id,
            v.manufacturer,
            v.model,
            f"{v.battery_usable_kwh:.0f}",
            f"{v.ccs_max_kw:.0f}",
            f"{v.mcs_max_kw:.0f}",
            v.inlet_side.value,
        )
    Console().print(table)


@vehicles_app.command("show")
def vehicles_show(
    vehicle_id: Annotated[str, typer.Argument(help="12-digit vehicle ID (catalogue or decoded).")],
) -> None:
    """Print every figure of a vehicle; a well-formed unknown ID is decoded on model defaults."""
    import dataclasses

    from voltroute.vehicles import Catalogue

    try:
        vehicle = Catalogue().resolve(vehicle_id)
    except (LookupError, ValueError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from None
    table = Table("figure", "value")
    for field in dataclasses.fields(vehicle):
        value = getattr(vehicle, field.name)
        if field.name == "charging_curve":
            value = "  ".join(f"{soc:.0%}:{kw:.0f} kW" for soc, kw in value.points)
        table.add_row(field.name, str(value))
    Console().print(table)


@stations_app.command("import")
def stations_import(
    file: Annotated[Path, typer.Argument(help="Station file to import.")],
    file_format: Annotated[
        str, typer.Option("--format", help="bnetza, ocpi, osm or overlay.")
    ] = "bnetza",
    region: Annotated[
        Path | None, typer.Option(help="Region directory (default: the served region).")
    ] = None,
    source_key: Annotated[
        str | None, typer.Option(help="Replace this source (default: format:file name).")
    ] = None,
) -> None:
    """Import stations into a region's registry; prints counts and every rejected row."""
    from voltroute.regions.station_counts import record_station_counts
    from voltroute.stations import ImportFileError, ImportFormat, StationRegistry, import_file

    region_dir = region or Settings().resolved_region_dir
    registry = StationRegistry.in_region(region_dir)
    try:
        result = import_file(registry, file, ImportFormat(file_format), source_key)
    except (ImportFileError, ValueError) as error:
        console.print(f"[red]Import failed:[/] {error}")
        raise typer.Exit(1) from None
    for rejected in result.rejected:
        console.print(f"rejected {rejected.row}: {rejected.reason}")
    console.print(result.summary())
    record_station_counts(region_dir)


TourArgument = Annotated[
    Path, typer.Argument(help="Tour file: a Planner API request body (JSON), e.g. examples/.")
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result JSON.")]
GeojsonFlag = Annotated[bool, typer.Option("--geojson", help="Print the result as GeoJSON.")]
GpxFlag = Annotated[bool, typer.Option("--gpx", help="Print the result as GPX 1.1.")]
CorridorOption = Annotated[
    int, typer.Option(min=1000, max=20000, help="Station search corridor in metres.")
]


@app.command("plan")
def plan_command(
    tour: TourArgument,
    as_json: JsonFlag = False,
    as_geojson: GeojsonFlag = False,
    as_gpx: GpxFlag = False,
    region_dir: Annotated[
        Path | None, typer.Option(help="Region directory (default: the served region).")
    ] = None,
    corridor: CorridorOption = 8000,
) -> None:
    """Plan a tour in this process on a local region and print legs and stops (or an export)."""
    from voltroute.tours import TourFileError, plan_locally, read_tour_file
    from voltroute.tours.output import print_result

    fmt = _output_format(as_json, as_geojson, as_gpx)
    try:
        _, request = read_tour_file(tour)
        with console.status("planning"):
            result = plan_locally(request, region_dir or Settings().resolved_region_dir, corridor)
    except TourFileError as error:
        console.print(f"[red]Cannot plan:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    except FileNotFoundError as error:
        console.print(f"[red]No region:[/] {error} (build one with `voltroute region build`)")
        raise typer.Exit(1) from None
    print_result(result, fmt, sys.stdout)


@app.command("submit")
def submit_command(
    tour: TourArgument,
    url: Annotated[str, typer.Option(help="Server URL.")] = "http://127.0.0.1:8000",
    token: Annotated[
        str | None, typer.Option(help="Bearer token (default: $VOLTROUTE_TOKEN).")
    ] = None,
    as_json: JsonFlag = False,
    as_geojson: GeojsonFlag = False,
    as_gpx: GpxFlag = False,
    corridor: CorridorOption = 8000,
    timeout: Annotated[float, typer.Option(min=1, help="Seconds to wait for the job.")] = 600,
) -> None:
    """Plan a tour through a server: submit, show the job's progress, print the result."""
    from voltroute.tours import RemotePlanner, RemotePlanningError, TourFileError, read_tour_file
    from voltroute.tours.output import print_result

    fmt = _output_format(as_json, as_geojson, as_gpx)
    bearer = token or os.environ.get("VOLTROUTE_TOKEN")
    if not bearer:
        console.print("[red]No token:[/] give --token or set VOLTROUTE_TOKEN")
        raise typer.Exit(1)
    try:
        body, _ = read_tour_file(tour)
    except TourFileError as error:
        console.print(f"[red]Cannot plan:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    planner = RemotePlanner(url, bearer)
    try:
        submitted = planner.submit(body, corridor)
        with console.status(f"job {submitted['job_id']}: submitted") as progress:
            job = planner.wait(
                submitted["job_id"],
                lambda state: progress.update(f"job {submitted['job_id']}: {state}"),
                timeout,
            )
        if job["status"] not in ("succeeded", "not_drivable"):
            console.print(f"[red]Job {job['job_id']} {job['status']}[/]")
            raise typer.Exit(1)
        result = planner.result(int(submitted["optimization_id"]))
    except RemotePlanningError as error:
        console.print(f"[red]Submit failed:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    finally:
        planner.close()
    print_result(result, fmt, sys.stdout)


def _output_format(as_json: bool, as_geojson: bool, as_gpx: bool) -> OutputFormat:
    from voltroute.tours.output import output_format

    try:
        return output_format(as_json, as_geojson, as_gpx)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None


def main() -> None:
    """Entry point for python -m voltroute."""
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
