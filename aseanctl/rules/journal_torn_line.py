"""A journal's last line without its newline is what a process killed while writing
leaves behind.  It never counts as an update: it is ignored with this warning, and the
next `aseanctl update` cuts it off before appending, so it never breaks a command."""

ID = "journal-torn-line"
SEVERITY = "warning"
STAGE = "load"
