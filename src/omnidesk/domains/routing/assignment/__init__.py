"""Assignment: the pure matching engine, atomic claims, transfers and manual assignment."""
