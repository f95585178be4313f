"""The voltroute command: serve, worker, region build, tokens, vehicles."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from voltroute.cli_tokens import tokens_app
from voltroute.config import Settings

if TYPE_CHECKING:
    from voltroute.regions import Region
    from voltroute.tours.output import OutputFormat

app = typer.Typer(
    help="Voltroute: route planning for battery-electric heavy trucks.", no_args_is_help=True
)
region_app = typer.Typer(help="Build routable regions from OSM extracts.", no_args_is_help=True)
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


def _open_served_region(settings: Settings) -> None:
    """Serve the region directory as it is; build it only when it is missing or empty."""
    from voltroute.regions import RegionBuildError, open_or_build_region
    from voltroute.regions.build import engine_change
    from voltroute.regions.lock import region_lock
    from voltroute.regions.station_counts import seed_and_count_stations

    try:
        with RichBuildProgress() as progress:
            region = open_or_build_region(
                settings.region_source,
                settings.resolved_region_dir,
                elevation_sources=settings.region_elevation,
                progress=progress,
            )
    except (FileNotFoundError, ValueError, RegionBuildError) as error:
        console.print(f"[red]No region to serve:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    osm = next(s for s in region.manifest.sources if s.kind == "osm")
    if "region_source" in settings.model_fields_set and Path(osm.path) != Path(
        settings.region_source
    ).resolve(strict=False):
        console.print(
            f"Serving region {region.name} as built from {osm.path}; VOLTROUTE_REGION_SOURCE "
            f"({settings.region_source}) only builds a missing region. To rebuild this one from "
            f"it: voltroute region build {settings.region_source} --out {region.path} --force",
            highlight=False,
        )
    if (change := engine_change(region.manifest)) is not None:
        console.print(
            f"[yellow]Region {region.name} was {change}[/]; served as it is. "
            f"`voltroute region build --force` rebuilds it and keeps its stations.",
            highlight=False,
        )
    with region_lock(region.path):
        for result in seed_and_count_stations(region.path, region.name):
            console.print(result.summary())
    console.print(f"Region [bold]{region.name}[/] ready at {region.path}")


def _open_served_regions(settings: Settings) -> None:
    """Serve several region directories as they are: each must exist (nothing is built)."""
    from voltroute.composition import Backend
    from voltroute.regions.build import engine_change
    from voltroute.regions.lock import region_lock
    from voltroute.regions.station_counts import seed_and_count_stations

    try:
        regions = Backend(settings).regions
    except (FileNotFoundError, ValueError) as error:
        console.print(f"[red]No regions to serve:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    for region in regions:
        if (change := engine_change(region.manifest)) is not None:
            console.print(
                f"[yellow]Region {region.name} was {change}[/]; served as it is.", highlight=False
            )
        with region_lock(region.path):
            for result in seed_and_count_stations(region.path, region.name):
                console.print(result.summary())
        console.print(f"Region [bold]{region.name}[/] ready at {region.path}")


def _demo_token(settings: Settings) -> str | None:
    """Create the demo tenant's token on first start; it is kept in data_dir for the demo only."""
    from voltroute.composition import Backend

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


class _StopRequested(BaseException):
    """SIGTERM or SIGINT reached `serve`: unwind to the clean-up that stops its worker."""


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _StopRequested(signum)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.")] = None,
    worker: Annotated[
        bool, typer.Option(help="Also run a worker process (restarted if it dies).")
    ] = True,
    region: Annotated[
        list[Path] | None,
        typer.Option(
            help="A region directory, or a directory of regions, to serve (repeat for several; "
            "default: VOLTROUTE_REGION_DIRS, else the one region, built first if missing)."
        ),
    ] = None,
) -> None:
    """Serve the region(s) with the API and a worker until stopped.

    One region is built first only if its directory is missing; several are served as they
    are, and each tour is planned on the region that holds all its stops. SIGTERM or Ctrl-C
    stops both: the worker gets its grace period for running jobs, then requeues what is left.
    """
    import uvicorn

    from voltroute.processes.supervisor import (
        WorkerSupervisor,
        requeue_jobs_of_dead_workers,
        worker_argv,
    )

    # uvicorn handles both signals while it serves and raises them again after its shutdown;
    # under the default SIGTERM action that killed this process before it stopped its worker.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _raise_stop)
    if region:
        # Through the environment: the API (uvicorn's factory) and the worker read it too.
        os.environ["VOLTROUTE_REGION_DIRS"] = os.pathsep.join(str(p.resolve()) for p in region)
        os.environ.pop("VOLTROUTE_REGION_DIR", None)
    settings = Settings()
    supervisor: WorkerSupervisor | None = None
    try:
        if settings.region_dirs:
            _open_served_regions(settings)
        else:
            _open_served_region(settings)
        token = _demo_token(settings)
        if worker:
            supervisor = WorkerSupervisor(
                worker_argv(os.getpid()), requeue_jobs_of_dead_workers(settings)
            )
            supervisor.start()
        bind_host, bind_port = host or settings.host, port or settings.port
        if token:
            console.print(
                f"Demo token: [bold]{token}[/]  (also in {settings.data_dir / 'demo-token.txt'})"
            )
        console.print(f"API on http://{bind_host}:{bind_port}  (OpenAPI at /docs)")
        uvicorn.run(
            "voltroute.api.app:create_app",
            factory=True,
            host=bind_host,
            port=bind_port,
            log_level="warning",
            # The app trusts X-Forwarded-For only from VOLTROUTE_TRUSTED_PROXIES; uvicorn's own
            # handling would believe any request from 127.0.0.1 first.
            proxy_headers=False,
            # Longer than clients' usual 5 s keep-alive expiry, so the server never closes a
            # connection a polling client is about to reuse.
            timeout_keep_alive=30,
        )
    except _StopRequested:
        pass
    finally:
        # A second signal while stopping cuts the worker's grace period short (SIGKILL).
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.default_int_handler)
        if supervisor is not None:
            console.print("Stopping the worker")
            supervisor.stop()
    console.print("Stopped")


@app.command("worker")
def worker_command(
    parent_pid: Annotated[
        int | None,
        typer.Option(hidden=True, help="Stop when this process (the serve that started it) ends."),
    ] = None,
) -> None:
    """Run a worker: plans queued jobs, recovers jobs of dead workers."""
    from voltroute.processes.worker import run_worker

    run_worker(Settings(), parent_pid)


@region_app.command("build")
def region_build(
    pbf: Annotated[Path, typer.Argument(help="OSM extract (.osm.pbf, .osm, .osm.gz).")],
    out: Annotated[Path | None, typer.Option(help="Region directory to write.")] = None,
    elevation: Annotated[
        list[Path] | None, typer.Option(help="Directory of SRTM .hgt/.hgt.zip tiles (repeat).")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Region name (default: the region's, else the file's).")
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            help="Rebuild even if up to date, or replace a region built from other inputs "
            "(its tiles, elevation and manifest; its stations are kept)."
        ),
    ] = False,
    stations: Annotated[
        list[Path] | None,
        typer.Option(help="Station file to import, FORMAT:PATH, e.g. ocpi:cpo.json (repeat)."),
    ] = None,
) -> None:
    """Build a routable region: Valhalla tiles, elevation, manifest, station registry."""
    from voltroute.regions import (
        RegionBuildError,
        RegionOutdatedError,
        build_region,
        ensure_region,
    )
    from voltroute.regions.lock import region_lock
    from voltroute.regions.station_counts import seed_and_count_stations
    from voltroute.stations.sources import ImportFormat

    settings = Settings()
    target = (out or settings.data_dir / "regions" / (name or pbf.name.split(".")[0])).resolve()
    existing = _region_at(target)
    if force and existing is not None:
        _print_replacement(existing, target)
    try:
        with RichBuildProgress() as progress:
            if force:
                region = build_region(
                    pbf, target, elevation_sources=elevation or [], name=name, progress=progress
                )
            else:
                region = ensure_region(
                    pbf, target, elevation_sources=elevation or [], name=name, progress=progress
                )
    except RegionOutdatedError as error:
        console.print(f"[red]Not rebuilt:[/] {error}.", highlight=False)
        if existing is not None:
            _print_replacement(existing, target, planned=False)
        console.print("Run again with --force to rebuild it.")
        raise typer.Exit(1) from None
    except (FileNotFoundError, RegionBuildError) as error:
        console.print(f"[red]Build failed:[/] {error}", highlight=False)
        raise typer.Exit(1) from None
    if name and region.name != name:
        console.print(f"Region {region.name} is up to date and keeps its name (--force renames it)")
    counts = ", ".join(f"{k} {v}" for k, v in region.manifest.counts.items())
    console.print(f"Region [bold]{region.name}[/] at {region.path}: {counts}")
    station_files = []
    for spec in stations or []:
        file_format, _, path = str(spec).partition(":")
        station_files.append((Path(path), ImportFormat(file_format)))
    with region_lock(region.path):
        for result in seed_and_count_stations(region.path, region.name, station_files):
            console.print(result.summary())


def _region_at(path: Path) -> Region | None:
    from voltroute.regions import Region

    try:
        return Region.load(path)
    except (FileNotFoundError, ValueError):
        return None


def _print_replacement(existing: Region, target: Path, *, planned: bool = True) -> None:
    """Say what a rebuild replaces and what it keeps, before it starts."""
    from voltroute.regions.carry_over import describe_kept, describe_region

    replaces, keeps = ("Replacing", "Keeping") if planned else ("A rebuild replaces", "It keeps")
    console.print(
        f"{replaces} the tiles, elevation and manifest of {describe_region(existing)}",
        highlight=False,
    )
    kept = describe_kept(target)
    console.print(f"{keeps} {kept}" if kept else "Nothing else is in it.", highlight=False)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the schema (run once before starting several API processes)."""
    from voltroute.composition import Backend

    Backend(Settings()).migrate()
    console.print("database schema is up to date")


@routing_app.command("serve")
def routing_serve(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8002,
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option(help="Worker threads (1..64).")] = 2,
) -> None:
    """Run valhalla_service on the served region (workers then use VOLTROUTE_VALHALLA_URL)."""
    from voltroute.regions import ServedRegions
    from voltroute.routing.service import service_command

    settings = Settings()
    regions = ServedRegions.load(settings.served_region_paths)
    if len(regions) > 1:
        console.print(
            f"[red]A valhalla_service routes one region[/], and {len(regions)} are served "
            f"({', '.join(regions.names)}): serve several regions with embedded routing"
        )
        raise typer.Exit(1)
    region = regions.default
    work_dir = settings.data_dir / "valhalla-service" / str(port)
    argv = service_command(region.valhalla_config_path(), host, port, threads, work_dir)
    console.print(f"valhalla_service for region {region.name} on http://{host}:{port}")
    os.execv(argv[0], argv)


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
    from voltroute.regions.lock import region_lock
    from voltroute.regions.station_counts import record_station_counts
    from voltroute.stations import ImportFileError, ImportFormat, StationRegistry, import_file

    settings = Settings()
    if region is None and settings.region_dirs:
        console.print("[red]Several regions are served:[/] name one with --region")
        raise typer.Exit(1)
    region_dir = region or settings.resolved_region_dir
    registry = StationRegistry.in_region(region_dir)
    # Under the region's lock: a rebuild copies the registry, and must not miss this import.
    with region_lock(region_dir):
        try:
            result = import_file(registry, file, ImportFormat(file_format), source_key)
        except (ImportFileError, ValueError) as error:
            console.print(f"[red]Import failed:[/] {error}")
            raise typer.Exit(1) from None
        record_station_counts(region_dir)
    for rejected in result.rejected:
        console.print(f"rejected {rejected.row}: {rejected.reason}")
    console.print(result.summary())


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
        Path | None,
        typer.Option(
            help="Region directory, or a directory of regions (default: the served regions)."
        ),
    ] = None,
    corridor: CorridorOption = 8000,
    accept_unknown_station_data: Annotated[
        bool,
        typer.Option(
            help="A station whose source does not carry a filtered field (the Bundesnetzagentur "
            "register has no truck approval) passes that filter; stops chosen so are flagged."
        ),
    ] = False,
    driver_free_during_service: Annotated[
        bool,
        typer.Option(
            "--driver-free-during-service",
            help="The driver is free during service at customer stops (drop trailer, loading "
            "by the customer's staff), so it can count as a break or rest; sections may say "
            "otherwise. Default: service is work (EU 561/2006).",
        ),
    ] = False,
    no_working_time: Annotated[
        bool,
        typer.Option(
            "--no-working-time",
            help="Do not apply the working-time rules of Directive 2002/15/EC (self-employed "
            "drivers only).",
        ),
    ] = False,
    team_driving: Annotated[
        bool,
        typer.Option(
            "--team-driving",
            help="Two drivers (561/2006 art. 8(5)): breaks in the moving truck, 9-hour daily "
            "rests within 30 hours.",
        ),
    ] = False,
    driver_state: Annotated[
        Path | None,
        typer.Option(
            "--driver-state",
            help="JSON file with the driver's state at the start: the API's driver_state "
            "object (driving_since_break_min, driving_today_min, last_daily_rest_end, ...).",
        ),
    ] = None,
) -> None:
    """Plan a tour in this process on a local region and print legs and stops (or an export).

    With several regions, the tour is planned on the first that holds all its stops. The
    driver options override the tour file's `driver_rules` and `driver_state`.
    """
    from voltroute.tours import TourFileError, plan_locally, read_tour_file
    from voltroute.tours.output import print_result
    from voltroute.tours.tour_file import with_driver_options

    fmt = _output_format(as_json, as_geojson, as_gpx)
    try:
        body, _ = read_tour_file(tour)
        request = with_driver_options(
            body,
            driver_free_during_service=driver_free_during_service,
            no_working_time=no_working_time,
            team_driving=team_driving,
            driver_state_file=driver_state,
        )
        with console.status("planning"):
            regions = [region_dir] if region_dir else Settings().served_region_paths
            result = plan_locally(
                request,
                regions,
                corridor,
                accept_unknown_station_data=accept_unknown_station_data,
            )
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
