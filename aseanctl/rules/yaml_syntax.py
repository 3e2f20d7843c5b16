"""The file must be well-formed YAML holding one document, nested at most 50 levels,
with plain text keys and integers of at most 4,300 digits.  The message carries the YAML
parser's own words and points at the line and column where it gave up, which is often
just after the real mistake (an unclosed quote or a tab used for indentation earlier on)."""

ID = "yaml-syntax"
SEVERITY = "error"
STAGE = "load"
