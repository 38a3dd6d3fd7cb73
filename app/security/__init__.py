"""Keys for health data: see :mod:`app.security.keys`."""
