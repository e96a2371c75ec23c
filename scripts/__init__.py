"""Launchers a person runs through the Makefile: the demo, one pipeline run, the summary."""
