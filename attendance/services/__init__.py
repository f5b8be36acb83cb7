"""Writes of the attendance chapter, one module per part of it: the daily
roll (roll), leave (leave), outing slips and their checks (outing), patrols
and events (events)."""
