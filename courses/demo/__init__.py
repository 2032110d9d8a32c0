"""The demo content `manage.py seed_demo` builds: the orientation course and its English
translation, quizzes, volunteers' learning and report data. It goes through the rooms' real
services and may import any of them; nothing imports the demo but `seed_demo`.
"""
