"""Courses: one Django app (label `courses`) in rooms, each a package that says what it owns.

- `authoring`: the page tree trainers build (course, module, lesson), blocks, the course structure,
  catalog, search and lesson media. It imports no other room at module level.
- `learning`: enrolment, progress, completion, outlines, the dashboard, staff enrolment and
  what courses keeps about a person. Uses authoring.
- `quizzes`: the quiz page, attempts, results, grading, statistics and trial runs. Uses authoring
  and learning.
- `reports`: staff and trainer reports and exports. Uses authoring, learning and quizzes.
- `translation`: English versions with wagtail-localize. Uses authoring.
- `demo`: what `seed_demo` builds, through the rooms' services.

The root only wires them: `models` gathers every room's models under the app label, `apps` fills
the registries through which authoring and learning learn about quizzes (outline items and the
reader's progress), and `wagtail_hooks` registers the admin views. `courses` uses `volunteers` and
`training`, never `certificates`: a completion reaches certificates through the listeners it
registers (`courses.learning.completion`). tests/training/test_architecture.py holds these rules.
"""
