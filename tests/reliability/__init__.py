"""Reliability (docs/reliability.md): hostile and broken input, crashes and concurrent runs."""
