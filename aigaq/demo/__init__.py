"""Synthetic demo data: name pools and a name generator (pure Python), the records built from
them (``records.py``) and the ``aigaq demo`` command. Never real people."""
