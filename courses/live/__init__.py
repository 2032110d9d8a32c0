"""Live sessions of course runs: the online meetings a cohort attends, their attendance, the
calendar files and feed a volunteer subscribes to, and the completion gate that asks for attendance."""
