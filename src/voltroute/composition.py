"""The composition root: the adapters a process needs, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

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

    @cached_property
    def store(self) -> JobStore:
        return JobStore(self.sessions)

    @cached_property
    def tenants(self) -> TenantDirectory:
        return TenantDirectory(self.sessions)

    @cached_property
    def idempotency(self) -> IdempotencyKeys:
        return IdempotencyKeys(self.sessions)

    @cached_property
    def webhooks(self) -> WebhookStore:
        return WebhookStore(self.sessions)

    @cached_property
    def token_audit(self) -> TokenAudit:
        return TokenAudit(self.sessions)

    @cached_property
    def token_admin(self) -> TokenAdmin:
        return TokenAdmin(self.sessions)

    @cached_property
    def workers(self) -> WorkerRegistry:
        return WorkerRegistry(self.sessions)

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
    def custom_vehicles(self) -> CustomVehicleStore:
        return CustomVehicleStore(self.sessions)

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
    def tenant_stations(self) -> TenantStationStore:
        return TenantStationStore(self.sessions)

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
