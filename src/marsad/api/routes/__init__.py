"""One router per resource; :func:`marsad.api.app.create_app` mounts them under /api."""
