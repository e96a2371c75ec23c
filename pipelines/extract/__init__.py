"""Extraction: land gateway objects in the warehouse, incrementally, with quarantine."""
