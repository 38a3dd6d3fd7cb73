"""Recording widgets: level meter, status-bar indicator, device settings page, player."""
