"""Service quality: the SKM satisfaction survey and its index (IKM), and complaints.

- `elements`, `survey`, `ikm`: the survey, its one-use invitations and the index;
  `respondents`: who an answer is from; `review`: the office head sets doubtful answers aside
  or restores them; `sample`: the smallest sample the regulation expects.
- `complaints`: `records`, filing a complaint (public form or staff entry), tracking codes,
  attachments; `desk`: staff classify, take up, answer and close; `read_models`: the public
  status page and the staff's list; `mail`: the email at each step, from a job.
"""
