"""Analytics: KPI definitions, per-conversation facts and rollups kept from events, reports."""
