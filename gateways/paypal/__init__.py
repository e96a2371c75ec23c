"""PayPal: the declaration (`module.MODULE`), entities and validation; the reader and its
transport load the official `paypal-server-sdk` only when a reader is built."""
