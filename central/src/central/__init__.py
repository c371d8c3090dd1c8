"""The reference central server for checkpoint kiosks (docs/central.md): storage, HTTP API,
command line."""
