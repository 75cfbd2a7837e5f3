"""Bounded contexts: one package per domain."""
