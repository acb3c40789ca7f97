"""Deterministic language checks beside the learned NLU model.

Rules here are explainable: each one can say in plain English why it fired, which a
classifier trained on a few hundred examples cannot. Nothing here imports Rasa.
"""
