"""One Definitions per area; pipelines/definitions.py merges them."""
