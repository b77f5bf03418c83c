"""Printed pages scanned for a visitor: the upload, the stamped copy, the hot folder, the email, the lists."""
