"""Schema of the caller endpoint (extension): who a token belongs to."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CallerInfo(BaseModel):
    """The tenant and user a bearer token belongs to."""

    tenant_id: int = Field(description="The tenant; every job, vehicle and station is its own")
    user_id: int = Field(description="The user: `GET /planner/jobs?user_id=` lists their jobs")
