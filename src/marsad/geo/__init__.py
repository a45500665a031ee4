"""Gazetteer build and lookup, toponym resolution."""

from marsad.geo.resolve import Gazetteer, GeoContext, Place, distance_km

__all__ = ["Gazetteer", "GeoContext", "Place", "distance_km"]
