"""The processes besides the server: the worker, and the supervisor that keeps it running."""
