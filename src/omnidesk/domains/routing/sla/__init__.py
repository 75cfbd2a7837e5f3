"""SLA clocks: targets counted in business hours, warnings and breaches."""
