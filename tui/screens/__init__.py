"""Screens shown over the trainer: help, and the learning-rate dialog."""
