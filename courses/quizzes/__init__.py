"""Quizzes: the quiz page, attempts, results, grading, statistics and the trainer's trial run.

Uses authoring (a quiz is a page of a module) and learning (a quiz needs an enrolment, and a passed
quiz may complete the course). Neither of them imports this room's services, selectors or views.
"""
