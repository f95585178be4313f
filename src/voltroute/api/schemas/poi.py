"""Charging-station filter of a planner request (`poi_info`), as the contract publishes it.

The contract names these components `api__features__poi__schemas__<Name>`;
`voltroute.api.openapi.contract_openapi` renames them, the classes keep their short names.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from voltroute import bounds
from voltroute.api.schemas.door import at_most_items, plain_text, within

PowerKw = Annotated[float, within(bounds.CHARGING_POWER_KW)]
OperatorNames = Annotated[
    list[Annotated[str, plain_text(bounds.MAX_NAME_CHARS)]],
    at_most_items(bounds.MAX_FILTER_NAMES, "operator names"),
]


class ConnectorPos(StrEnum):
    LEFT = "LEFT"
    RIGHT = "RIGHT"


class ConnectorType(StrEnum):
    MCS = "MCS"
    CCS = "CCS"


class TruckApproved(StrEnum):
    T = "T"
    TT = "TT"


class POIInfo(BaseModel):
    # Bounds beyond the contract's schema are validators: see voltroute.api.schemas.door.
    model_config = ConfigDict(allow_inf_nan=False)

    min_kW: PowerKw | None = Field(  # noqa: N815
        None, description="Minimum required power (in kW) for a charging station."
    )
    max_kW: PowerKw | None = Field(  # noqa: N815
        None, description="Maximum acceptable power (in kW) for a charging station."
    )
    cpo: OperatorNames | None = Field(
        None, description="A list of Charge Point Operators (CPO) to filter by."
    )
    truck_approved: TruckApproved | None = Field(
        None,
        description=(
            "Truck-ready stations: T (tractor-only) or TT (truck and trailer; subset of T). "
            "Strongly recommended for every truck request — without it, stations that are not "
            "truck-accessible (e.g. urban car chargers) are considered."
        ),
    )
    connector_type: list[ConnectorType] | None = Field(
        None, description="List of connector types (e.g., CCS, MCS)."
    )
    connector_pos: ConnectorPos | None = Field(
        None, description="Position of the connector on the vehicle (e.g., LEFT, RIGHT)."
    )
    bookable: bool | None = Field(None, description="Only return bookable charging stations.")
