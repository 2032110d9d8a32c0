"""Learning: what a volunteer does with a course.

Owns course runs (editions, with their waiting lists), enrolments, lesson progress and course
completions (with the completion listeners other apps register), the reader's outline of a course,
the learning dashboard, staff enrolment, the registration requirement, and what courses keeps about
a person for the volunteer register. Uses authoring; reads quiz outcomes from the quiz models only
(never quiz services or views), so that quizzes may use learning's services without a circle.
"""
