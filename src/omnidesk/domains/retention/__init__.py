"""Retention and erasure: purges of data past its period, erasing a customer, data export."""
