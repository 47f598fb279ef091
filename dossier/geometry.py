"""Distances on the Earth's surface, shared by the consistency checks, the pattern analysis and the charts."""

from __future__ import annotations

import math

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean Earth radius (within 0.5% of the ellipsoidal distance)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def rounding_error_km(lat: float) -> float:
    """How far a point may move when its coordinates are rounded to 0.1 degree (half a cell's diagonal)."""
    return distance_km(lat, 0.0, lat + 0.05 if lat < 89.9 else lat - 0.05, 0.05)
