"""Engagement: website chat widget sessions, widget settings and read receipts."""
