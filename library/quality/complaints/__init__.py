"""Complaints: filed on the public form or entered by staff, classified, taken up, answered, closed.

Start at `records` (`check_file_complaint`, tracking codes and attachments) and `staff` (the staff's
steps); `read_models` is the public status page by code and the staff's list, `alerts` tells the
staff of a new one and `mail` writes to the complainant at each step, from a job.
"""
