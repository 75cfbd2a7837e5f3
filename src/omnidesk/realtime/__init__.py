"""Realtime delivery to screens: per-client event queues with resume, in-process or Redis fan-out."""
