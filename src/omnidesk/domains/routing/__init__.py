"""Routing: queues, rules, agent matching, SLA clocks and the contact-center simulator."""
