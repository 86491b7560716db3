"""Great Expectations suites that gate publication, and a runner returning plain results."""
