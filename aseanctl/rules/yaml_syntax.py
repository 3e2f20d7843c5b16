"""The file must be well-formed YAML holding one document, nested at most 50 levels,
with plain text keys and integers of at most 4,300 digits, and without U+0085, U+2028 or
U+2029 (YAML 1.1 reads each as a line break that no editor shows, which would put every
later line number off and cut a title in two).  The message carries the YAML
parser's own words and points at the line and column where it gave up, which is often
just after the real mistake (an unclosed quote or a tab used for indentation earlier on)."""

ID = "yaml-syntax"
SEVERITY = "error"
STAGE = "load"
