"""Disclosure: visibility and consent for every use, decided in one place.

Stands above people, testimonies and media; the staff pages, the public site, exports,
petitions and the API ask it, and nothing below it decides on its own what may be shown.
"""
