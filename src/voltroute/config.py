"""Settings: the one place that reads the environment (VOLTROUTE_*) and an optional TOML file."""

from __future__ import annotations

import ipaddress
import os
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

# Limits as (minimum, default, maximum): documented once, enforced by pydantic.
RATE_LIMIT_PER_MIN = (1, 120, 100_000)
WORKER_THREADS = (1, 2, 64)
QUEUE_POLL_S = (0.005, 0.02, 5.0)
JOB_STALE_AFTER_S = (5, 120, 86_400)
WEBHOOK_MAX_ATTEMPTS = (1, 8, 50)
WEBHOOK_BACKOFF_S = (0.05, 10.0, 3_600.0)
WEBHOOK_TIMEOUT_S = (0.5, 10.0, 60.0)
WEBHOOK_SECRET_MIN_LENGTH = 16
JOB_TIME_LIMIT_FACTOR = (0.01, 1.0, 100.0)
_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$"
)


def _is_network(entry: str) -> bool:
    """Whether entry is an IP address or network (an address is a network of one)."""
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False
    return True


def _bounded(bounds: tuple[float, float, float], description: str) -> Any:
    lo, default, hi = bounds
    return Field(default=default, ge=lo, le=hi, description=description)


class Settings(BaseSettings):
    """Every setting of a Voltroute process, from VOLTROUTE_* variables or a TOML file."""

    model_config = SettingsConfigDict(
        env_prefix="VOLTROUTE_",
        extra="forbid",
        toml_file=os.environ.get("VOLTROUTE_CONFIG_FILE"),
    )

    data_dir: Path = Field(
        default=REPO_ROOT / "var",
        description="Where the embedded database, queue and built regions live.",
    )
    region_dir: Path | None = Field(
        default=None, description="A built region directory (default: <data_dir>/regions/<name>)."
    )
    region_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Several regions to serve: region directories or directories of regions, "
        f"separated by '{os.pathsep}' in the environment. When set, they are every region "
        "served (a tour is planned on the one that holds all its stops); region_dir stays unset.",
    )
    region_source: Path = Field(
        default=DEFAULT_SHARED_DATA / "osm" / "heidelberg.osm.pbf",
        description="OSM extract the region is built from when it does not exist yet.",
    )
    region_elevation: list[Path] = Field(
        default_factory=list, description="Directories with SRTM .hgt/.hgt.zip tiles."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL (default: SQLite file in data_dir)."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL: when set, the queue (RedisHuey) and rate limits live in Redis.",
    )
    queue_name: str = Field(
        default="voltroute", min_length=1, max_length=100, description="Name of the job queue."
    )
    queue_path: Path | None = Field(
        default=None, description="SqliteHuey file (default: <data_dir>/queue.sqlite)."
    )
    valhalla_url: str | None = Field(
        default=None,
        description="Base URL of a valhalla_service; when unset, routing runs embedded.",
    )
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    rate_limit_per_min: int = _bounded(
        RATE_LIMIT_PER_MIN,
        "Requests per minute per tenant (authenticated), and per client address for requests "
        "without a valid token.",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Proxies whose X-Forwarded-For names the client: IP addresses or networks "
        "(CIDR), comma-separated in the environment. Without an entry the socket peer is the "
        "client and X-Forwarded-For is ignored.",
    )
    job_time_limit_factor: float = _bounded(
        JOB_TIME_LIMIT_FACTOR,
        "Scales every job's time limit (derived from its sections and days); past it the job "
        "fails.",
    )
    worker_threads: int = _bounded(WORKER_THREADS, "Planning threads in a worker process.")
    queue_poll_s: float = _bounded(QUEUE_POLL_S, "Idle worker's longest wait between polls.")
    job_stale_after_s: int = _bounded(
        JOB_STALE_AFTER_S, "A running job whose worker is silent this long is re-enqueued."
    )
    max_job_attempts: Annotated[int, Field(ge=1, le=20)] = 3
    max_request_bytes: Annotated[int, Field(ge=1024, le=50_000_000)] = 2_000_000
    fault_planning_delay_s: Annotated[float, Field(ge=0, le=600)] = Field(
        default=0.0,
        description="Fault injection for crash tests: a worker holds each job this long first.",
    )
    demo_token: str | None = Field(
        default=None, description="Token to create for the demo tenant on first start."
    )
    webhook_secret: SecretStr | None = Field(
        default=None,
        min_length=WEBHOOK_SECRET_MIN_LENGTH,
        description="HMAC-SHA256 key that signs webhook POSTs; unset: callbacks are refused.",
    )
    webhook_max_attempts: int = _bounded(
        WEBHOOK_MAX_ATTEMPTS, "Delivery attempts per webhook before it is marked failed."
    )
    webhook_backoff_s: float = _bounded(
        WEBHOOK_BACKOFF_S, "Wait before the first webhook retry; doubles with each attempt."
    )
    webhook_timeout_s: float = _bounded(WEBHOOK_TIMEOUT_S, "Timeout of one webhook POST.")
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Callback targets allowed although not public: host names, IP addresses or "
        "networks (CIDR), comma-separated in the environment (e.g. `hooks.internal,10.0.0.0/8`). "
        "Without an entry, callbacks only reach public addresses.",
    )
    public_url: str | None = Field(
        default=None,
        max_length=2000,
        description="Base URL clients reach the API at, for result URLs in webhooks "
        "(default: the base URL of the submitting request).",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @field_validator("region_dirs", mode="before")
    @classmethod
    def _split_paths(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [Path(entry.strip()) for entry in value.split(os.pathsep) if entry.strip()]
        return value

    @field_validator("webhook_allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [entry.strip() for entry in value.split(",") if entry.strip()]
        return value

    @field_validator("webhook_allowed_hosts")
    @classmethod
    def _hosts_or_networks(cls, entries: list[str]) -> list[str]:
        # Fail at start-up on a typo rather than refuse the on-premise receiver at delivery.
        for entry in entries:
            if not _is_network(entry) and not _HOST_NAME.match(entry.lower().rstrip(".")):
                raise ValueError(f"{entry!r} is neither a host name, an IP address nor a network")
        return entries

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, entries: list[str]) -> list[str]:
        # A name cannot be matched against a socket's peer address: only addresses and networks.
        for entry in entries:
            if not _is_network(entry):
                raise ValueError(f"{entry!r} is neither an IP address nor a network")
        return entries

    @cached_property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """trusted_proxies as networks (an address is a network of one)."""
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in self.trusted_proxies)

    @model_validator(mode="after")
    def _absolute_paths(self) -> Settings:
        self.data_dir = self.data_dir.expanduser().resolve()
        return self

    @model_validator(mode="after")
    def _one_way_to_name_regions(self) -> Settings:
        # Either alone is clear; both at once would leave it open which regions are served.
        if self.region_dirs and self.region_dir is not None:
            raise ValueError(
                "set region_dir (one region) or region_dirs (several regions), not both: "
                "add the region_dir directory to region_dirs"
            )
        return self

    @cached_property
    def resolved_region_dir(self) -> Path:
        """The region directory to serve."""
        if self.region_dir is not None:
            return self.region_dir.expanduser().resolve()
        name = self.region_source.name.split(".")[0]
        return self.data_dir / "regions" / name

    @cached_property
    def served_region_paths(self) -> tuple[Path, ...]:
        """What to serve: region_dirs, else the one region directory (resolved_region_dir)."""
        if self.region_dirs:
            return tuple(path.expanduser().resolve() for path in self.region_dirs)
        return (self.resolved_region_dir,)

    @cached_property
    def resolved_database_url(self) -> str:
        """SQLAlchemy URL of the job database."""
        return self.database_url or f"sqlite:///{self.data_dir / 'voltroute.sqlite'}"

    @cached_property
    def resolved_queue_path(self) -> Path:
        """File of the embedded (SqliteHuey) queue."""
        return (self.queue_path or self.data_dir / "queue.sqlite").expanduser().resolve()
