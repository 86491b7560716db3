"""The shared rule suite (common.py) and, per rule that checks more, a module adding its expectations."""
