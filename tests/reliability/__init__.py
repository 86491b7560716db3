"""Hostile and broken input: each case gets one clear outcome and leaves every other file alone."""
