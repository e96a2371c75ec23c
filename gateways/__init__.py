"""Gateway library: one module per gateway, read and act through the official SDKs."""
