"""Planning: Erlang staffing formulas and the contact-center simulator."""
