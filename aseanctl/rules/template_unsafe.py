"""Report templates render in Jinja's immutable sandbox: a template may read the report's
values, never Python's internals. A repository template that reaches for them (names
starting with `_` such as `__globals__` or `__class__`, frame and code attributes, such
names given to `attr`, `selectattr` or `map(attribute=…)`, or calls that change a list or a
dictionary) would be refused when a report is rendered; this rule finds it at validation,
with its file and line (for Word templates, the paragraph), so that a pull request carrying
an attempt to run code fails CI without anything being run."""

ID = "template-unsafe"
SEVERITY = "error"
STAGE = "load"
