"""Every line of a journal file (`<plan>/journal/<year>.jsonl`) must be one JSON object in
UTF-8, with each key once; a broken line is an error at its line number, and the rest of
the journal still loads.  (A last line cut short is `journal-torn-line`.)"""

ID = "journal-syntax"
SEVERITY = "error"
STAGE = "load"
