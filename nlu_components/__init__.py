"""Custom Rasa NLU components. This package may import Rasa; bot/ must not."""
