"""Reports: staff and trainer reports on learning, their streamed CSV and XLSX exports, and the staff
panels on the admin home. Reads authoring, learning and quizzes; nothing in `courses` imports it
but the admin wiring (`courses.wagtail_hooks`).
"""
