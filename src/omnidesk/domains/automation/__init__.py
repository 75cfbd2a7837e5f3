"""Automation: rules (catalogue event → conditions → ordered actions), macros, outgoing webhooks."""
