"""The local gateway sandbox: a fake business and servers that speak each gateway's wire format."""
