"""Planning a tour file from the terminal: in-process on a local region, or through a server."""

from voltroute.tours.local import plan_locally
from voltroute.tours.remote import RemotePlanner, RemotePlanningError
from voltroute.tours.tour_file import TourFileError, read_tour_file

__all__ = [
    "RemotePlanner",
    "RemotePlanningError",
    "TourFileError",
    "plan_locally",
    "read_tour_file",
]
