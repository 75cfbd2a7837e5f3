"""Privacy: the access log of every read of unmasked personal data (PIPA), and its reports."""
