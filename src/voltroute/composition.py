"""The composition root: the adapters a process needs, built from the settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Self, overload

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from voltroute.config import Settings
from voltroute.db.database import create_db_engine, migrate, session_factory
from voltroute.jobs.idempotency import IdempotencyKeys
from voltroute.jobs.queue import JobQueue
from voltroute.jobs.service import JobService
from voltroute.jobs.store import JobStore
from voltroute.jobs.worker_registry import WorkerRegistry
from voltroute.planning.pipeline import PlanningServices
from voltroute.planning.region_planning import RegionPlanning
from voltroute.planning.vehicle_directory import VehicleDirectory
from voltroute.regions import Region, ServedRegions
from voltroute.routing import Router
from voltroute.routing.embedded import EmbeddedValhallaRouter
from voltroute.routing.http import HttpValhallaRouter
from voltroute.stations import StationCatalogue, StationRegistry
from voltroute.tenancy.custom_vehicles import CustomVehicleStore
from voltroute.tenancy.tenant_stations import TenantStationStore
from voltroute.tenancy.tenants import TenantDirectory
from voltroute.tenancy.token_admin import TokenAdmin
from voltroute.tenancy.token_audit import TokenAudit
from voltroute.vehicles import Catalogue
from voltroute.webhooks.store import WebhookStore


class _OnSessions[StoreT]:
    """A Backend attribute holding a store over its sessions, made on first use and kept (as
    `cached_property` keeps a value)."""

    def __init__(self, store: Callable[[sessionmaker[Session]], StoreT]) -> None:
        self._store = store
        self._name = ""

    def __set_name__(self, owner: type[Backend], name: str) -> None:
        self._name = name

    @overload
    def __get__(self, backend: None, owner: type[Backend]) -> Self: ...

    @overload
    def __get__(self, backend: Backend, owner: type[Backend]) -> StoreT: ...

    def __get__(self, backend: Backend | None, owner: type[Backend]) -> Self | StoreT:
        if backend is None:
            return self
        store = self._store(backend.sessions)
        # Kept in the instance, which then answers without the descriptor (cached_property's way).
        backend.__dict__[self._name] = store
        return store


@dataclass
class Backend:
    """One process's connections, made once at start-up and shared by its threads."""

    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return create_db_engine(self.settings.resolved_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    # The stores over the job database, each made on first use and kept.
    store = _OnSessions(JobStore)
    tenants = _OnSessions(TenantDirectory)
    idempotency = _OnSessions(IdempotencyKeys)
    webhooks = _OnSessions(WebhookStore)
    token_audit = _OnSessions(TokenAudit)
    token_admin = _OnSessions(TokenAdmin)
    workers = _OnSessions(WorkerRegistry)
    custom_vehicles = _OnSessions(CustomVehicleStore)
    tenant_stations = _OnSessions(TenantStationStore)

    @cached_property
    def regions(self) -> ServedRegions:
        """Every served region (settings.served_region_paths), loaded once."""
        regions = ServedRegions.load(self.settings.served_region_paths)
        if self.settings.valhalla_url and len(regions) > 1:
            # A valhalla_service routes the one region it was started on.
            raise ValueError(
                f"VOLTROUTE_VALHALLA_URL routes one region, but {len(regions)} are served "
                f"({', '.join(regions.names)}): unset it to route every region embedded"
            )
        return regions

    @cached_property
    def region(self) -> Region:
        """The default (first) served region."""
        return self.regions.default

    def router_for(self, region: Region) -> Router:
        """A new router on the region (the valhalla_service when one is configured)."""
        if self.settings.valhalla_url:
            return HttpValhallaRouter(self.settings.valhalla_url)
        return EmbeddedValhallaRouter(region.valhalla_config_path())

    @cached_property
    def catalogue(self) -> Catalogue:
        return Catalogue()

    @cached_property
    def vehicles(self) -> VehicleDirectory:
        return VehicleDirectory(self.catalogue, self.custom_vehicles)

    @cached_property
    def planning(self) -> RegionPlanning:
        """Each served region's planning services: its own router and station catalogue."""
        return RegionPlanning(
            {
                region.name: PlanningServices(
                    router=self.router_for(region),
                    catalogue=self.catalogue,
                    vehicles=self.vehicles,
                    stations=self.region_stations[region.name],
                    tenant_stations=self.tenant_stations,
                )
                for region in self.regions
            },
            default_region=self.region.name,
        )

    def job_service(self, queue: JobQueue) -> JobService:
        """The jobs as the API serves them, queued on queue; the legacy synchronous endpoint
        plans in this process as worker "api:<backend>" (the routers are built on first use)."""
        return JobService(
            self.store,
            self.idempotency,
            self.vehicles,
            self.regions,
            queue,
            lambda: self.planning,
            f"api:{id(self)}",
        )

    @cached_property
    def region_stations(self) -> dict[str, StationCatalogue]:
        """Each served region's station registry in memory, by region name (an absent registry
        holds none)."""
        return {
            region.name: StationCatalogue.load(StationRegistry.in_region(region.path))
            for region in self.regions
        }

    def migrate(self) -> None:
        """Create or upgrade the schema."""
        migrate(self.engine)
