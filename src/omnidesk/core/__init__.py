"""Kernel: database, events, jobs, security, errors. No business rules."""
