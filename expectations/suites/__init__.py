"""One module per rule dataset; each exposes build_suite() -> gx.ExpectationSuite."""
