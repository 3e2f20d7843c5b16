"""A report template of the plan repository (`templates/` beside `plan/`, or inside the plan
folder; Markdown `*.j2` and Word `*.docx`) must be a well-formed Jinja template and a real
file: a syntax error, a Word file that is not a Word document, or a template that is a
symbolic link (which could make a report print any file of the machine running it) is
reported here, so that CI refuses it before anyone renders a report with it."""

ID = "template-syntax"
SEVERITY = "error"
STAGE = "load"
