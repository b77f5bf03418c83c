"""The PDF file itself: read, repaired, cleaned of active content; its pages' boxes and objects.

Also what every render of a page shares: PyMuPDF loaded without its add-ons and the pixel
budget a page is drawn within. It imports no other part of the engine but its errors.
"""
