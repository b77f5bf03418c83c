"""Online statistical consultations: a user asks, a consultant clarifies and answers, then closes.

A consultation arrives on the web form, by email, on WhatsApp, or is recorded by a consultant from
a telephone call or social media; consultants assign, clarify, mark it clear (the working-day
clock starts) and answer in its thread, a silent user is reminded then closed, a closed one may be
reopened, and closing offers the SKM survey. Start at `consultations` (`check_open_consultation`), `staff`
(`check_staff_send`, `check_close`) and `read_models` (`list_desk`).

Every channel comes in through `take_inbound` (`channels`) and goes back out on the asker's own
channel, queued in the thread and sent by a job (`outside`); `by_email` is the email channel.
"""
