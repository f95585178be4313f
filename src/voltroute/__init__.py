"""Voltroute: route planning for battery-electric heavy trucks."""

__version__ = "0.1.0"
