"""Courses as files (issue 23): a course, its English translation and its media written to a zip
package (`export`), and loaded into another site as drafts for review (`importer`). The format is
documented in docs/course-packages.md and checked against course-package.schema.json."""
