"""Fuzzing of the landing-file parsers (`make fuzz`, `python -m fuzz`); not part of `make test`."""
