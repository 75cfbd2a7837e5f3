"""Feedback: CSAT / NPS / CES surveys, their answers, and follow-ups on low scores."""
