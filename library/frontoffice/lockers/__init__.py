"""Lockers and the ID cards held in them: the stock, the front office's desk, their administration."""
