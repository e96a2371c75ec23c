"""The shared sandbox kit: the server plumbing every gateway sandbox runs on (no gateway in it)."""
