"""The project's web app (an adapter): JSON API now; the widget and lead inbox later."""
