"""Every value must have the shape docs/plan-format.md gives it: required fields present,
no unknown fields (with a "did you mean …" for near misses such as `tittle`), text where
text is expected (a bare `1.10` is the number 1.1: quote it), dates as `YYYY-MM-DD`,
identifiers of letters, digits, `.`, `_` and `-`, and words such as `recurring: yearly`
from their fixed lists.  `aseanctl schema` prints the same rules as JSON Schema."""

ID = "schema"
SEVERITY = "error"
STAGE = "load"
