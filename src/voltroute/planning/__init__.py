"""Planning a tour request: region, vehicles, routed legs, stations along them, then the planner."""
