"""The geometric parts of a watch's region: polygons and boxes (shapely, prepared for fast tests) and circles
measured along the great circle, with the bounding boxes that prefilter them."""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPolygon, Polygon, box, shape
from shapely.geometry.base import BaseGeometry

from extractors.places import EARTH_RADIUS_KM, distance_km
from streams.watches.errors import WatchError


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    km: float

    def distance_km(self, point: tuple[float, float]) -> float:
        return distance_km(self.lat, self.lon, point[0], point[1])

    def contains(self, point: tuple[float, float]) -> bool:
        return self.distance_km(point) <= self.km

    def boxes(self) -> list[BaseGeometry]:
        """Boxes that cover the circle (two when it crosses the antimeridian): the cheap prefilter before haversine."""
        angle = self.km / EARTH_RADIUS_KM
        dlat = math.degrees(angle)
        south, north = self.lat - dlat, self.lat + dlat
        spread = math.sin(angle) / max(math.cos(math.radians(self.lat)), 1e-12)
        if south <= -90 or north >= 90 or spread >= 1:
            return [box(-180, max(south, -90), 180, min(north, 90))]
        dlon = math.degrees(math.asin(spread))
        west, east = self.lon - dlon, self.lon + dlon
        if west < -180:
            return [box(west + 360, south, 180, north), box(-180, south, east, north)]
        if east > 180:
            return [box(west, south, 180, north), box(-180, south, east - 360, north)]
        return [box(west, south, east, north)]


def region_shapes(geojson: dict | None, bbox: tuple[float, float, float, float] | None) -> list[tuple[str, BaseGeometry]]:
    shapes: list[tuple[str, BaseGeometry]] = []
    if geojson is not None:
        shapes.append((f"{geojson.get('type', 'geojson')} region", _polygon(geojson)))
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise WatchError(
                f"region.bbox: {list(bbox)} is not [min_lon, min_lat, max_lon, max_lat] with min < max inside "
                "[-180, -90, 180, 90]; split a box across the antimeridian into a MultiPolygon"
            )
        shapes.append((f"bbox {list(bbox)}", box(*bbox)))
    for _, geometry in shapes:
        shapely.prepare(geometry)
    return shapes


def _polygon(geojson: dict) -> BaseGeometry:
    geometry = geojson.get("geometry") if geojson.get("type") == "Feature" else geojson
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise WatchError("region.geojson: must be a GeoJSON Polygon or MultiPolygon (or a Feature holding one)")
    try:
        polygon = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError) as error:
        raise WatchError(f"region.geojson: not valid GeoJSON coordinates ({error})") from error
    if not isinstance(polygon, (Polygon, MultiPolygon)) or polygon.is_empty:
        raise WatchError("region.geojson: the polygon is empty")
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise WatchError("region.geojson: coordinates are [lon, lat] in degrees; some are out of range (lat/lon swapped?)")
    if not polygon.is_valid:
        raise WatchError(f"region.geojson: invalid polygon ({shapely.is_valid_reason(polygon)}); fix self-intersections")
    return polygon


def region_circle(point: tuple[float, float] | None, radius_km: float | None) -> Circle | None:
    if point is None and radius_km is None:
        return None
    if point is None or radius_km is None:
        raise WatchError("region: point and radius_km go together; give both (point: [lat, lon], radius_km: 100)")
    lat, lon = point
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise WatchError(f"region.point: {list(point)} is not [lat, lon] in degrees")
    return Circle(lat, lon, radius_km)
