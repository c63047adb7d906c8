"""Breaking-news alerts: planning the delivery ledger, sending it in claimed batches."""
