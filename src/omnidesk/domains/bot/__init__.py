"""The bot: knowledge-base answers, task flows through the commerce connector, and handoff."""
