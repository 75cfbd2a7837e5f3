"""The whatsapp channel adapter."""
