"""Synthetic demo data: name pools and a name generator (pure Python, no Django)."""
