"""Adapters that run inside the Rasa server (they may import Rasa; bot/ may not)."""
