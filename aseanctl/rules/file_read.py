"""A plan file must be readable text: UTF-8 (a BOM is fine), not empty, not binary, at
most 20 MiB; and the files the layout needs (owners.yaml) must be there.  A file that
fails here is not read further; its other problems appear once it is fixed."""

ID = "file-read"
SEVERITY = "error"
STAGE = "load"
