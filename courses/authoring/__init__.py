"""Authoring: what trainers build in the Wagtail admin and every reader sees.

Owns the page tree CourseIndexPage > CoursePage > ModulePage > LessonPage, the lesson body blocks,
help lines, the catalog and its search, lesson media, and the content services the demo seeder and
operators' scripts use. It is the floor of `courses`: the other rooms use it, and it imports none of
them at module level (a course page asks `courses.learning` for the reader's outline inside
`get_context`, when a request needs it).
"""
