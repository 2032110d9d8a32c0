"""Evaluations: the end-of-course evaluation a course may require before its certificate.

Owns the evaluation forms trainers build (and the ministry-wide default), the volunteer's form,
the anonymous answers and the separate "done" marks, the completion gate that holds a course's
completion (and so its certificate) until the evaluation is in, and the suppressed aggregates
staff and trainers read. Uses authoring (the course page) and learning (enrolment, the outline,
the completion check and its gate registry); it must not import quizzes, reports or translation,
and no room imports it: `courses.apps` registers its gate and privacy provider, and the admin
wiring and `training.urls` reach its views. An answer row never names a person (see
docs/evaluation.md).
"""
