"""Running the dashboard as several processes behind a proxy (make serve; docs/deployment.md)."""
