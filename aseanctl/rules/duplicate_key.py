"""A key may appear only once in a mapping.  Plain YAML loaders keep the last value
silently, so a task with two `due:` lines would quietly lose one.  The first value is
kept and the repeated key is reported at its line."""

ID = "duplicate-key"
SEVERITY = "error"
STAGE = "load"
