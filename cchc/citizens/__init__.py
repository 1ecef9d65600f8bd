"""Citizen accounts (tài khoản công dân): sign-in by one-time code or OpenID Connect, and the personal profile.

Issue 4 §2. Citizens are ordinary Django users with a `CitizenProfile` and never staff rights.
"""
