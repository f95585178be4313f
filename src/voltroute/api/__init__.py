"""The HTTP API: the FRYTE Planner API v2 contract plus extensions."""
