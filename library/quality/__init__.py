"""Service quality: the SKM satisfaction survey and its index (IKM), and complaints.

- `elements`, `survey`, `ikm`: the survey, its one-use invitations and the index;
  `respondents`: who an answer is from; `review`: the office head sets doubtful answers aside
  or restores them; `sample`: the smallest sample the regulation expects.
- `complaints`: `records`, filing a complaint (public form or staff entry), tracking codes,
  attachments; `desk`: staff classify, take up, answer and close; `read_models`: the public
  status page and the staff's list; `mail`: the email at each step, from a job.
"""

from library.quality.complaints.mail import ComplaintMailPost, send_complaint_mail
from library.quality.complaints.records import ANSWER_WORKING_DAYS
from library.quality.elements import BY_CODE, ELEMENTS, Element
from library.quality.ikm import ElementScore, Grade, Index, compute_index, grade_of, index_of
from library.quality.respondents import of_account as account_respondent
from library.quality.respondents import of_contact as contact_respondent
from library.quality.review import (
    ASIDE_LABELS,
    DOUBT_LABELS,
    REASON_MAX,
    AlreadyDecided,
    Decision,
    ReviewedAnswer,
    answers_to_review,
    check_restore,
    check_set_aside,
)
from library.quality.sample import minimum_sample
from library.quality.survey import (
    COMMENT_MAX,
    SURVEY_DAYS,
    AsideBy,
    SurveyAnswered,
    SurveyExpired,
    SurveyView,
    invitation_for,
    invitation_of_event,
    invite,
    open_survey,
    request_event,
    submit_survey,
    ticket_event,
)
from library.quality.walk_in import SurveyMailQueue, invite_after_service

__all__ = [
    "ASIDE_LABELS",
    "DOUBT_LABELS",
    "REASON_MAX",
    "AlreadyDecided",
    "AsideBy",
    "Decision",
    "ReviewedAnswer",
    "answers_to_review",
    "check_restore",
    "check_set_aside",
    "minimum_sample",
    "ANSWER_WORKING_DAYS",
    "ComplaintMailPost",
    "send_complaint_mail",
    "BY_CODE",
    "COMMENT_MAX",
    "ELEMENTS",
    "Element",
    "ElementScore",
    "Grade",
    "Index",
    "SURVEY_DAYS",
    "SurveyAnswered",
    "SurveyExpired",
    "SurveyMailQueue",
    "SurveyView",
    "compute_index",
    "grade_of",
    "index_of",
    "invitation_for",
    "invite",
    "open_survey",
    "request_event",
    "submit_survey",
    "ticket_event",
    "invite_after_service",
    "account_respondent",
    "contact_respondent",
    "invitation_of_event",
]
