"""Tests of the fuzz harness (`make fuzz` itself is not part of `make test`)."""
