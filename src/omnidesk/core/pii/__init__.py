"""Personal data in Korean and English text: detect typed spans and mask them.

Kinds: rrn, phone, email, card, cvv, account (bank accounts and IBANs), address, passport,
driver_license. `detect_pii` is the one detector; `mask_text` the one masker.
"""

from omnidesk.core.pii.detect import detect_pii, pii_counts
from omnidesk.core.pii.mask import (
           mask_digits,
           mask_email,
           mask_phone,
           mask_text,
           mask_value,
)
from omnidesk.core.pii.span import KINDS, PiiSpan, luhn_valid

__all__ = ["KINDS", "PiiSpan", "detect_pii", "luhn_valid", "mask_digits", "mask_email",
           "mask_phone", "mask_text", "mask_value", "pii_counts"]
