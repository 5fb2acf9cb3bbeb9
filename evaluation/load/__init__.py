"""Load and hostile-input benchmarks against a running service on loopback."""
