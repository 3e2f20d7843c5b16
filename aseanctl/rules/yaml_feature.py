"""Anchors (`&name`), aliases (`*name`) and tags (`!!binary`, `!!python/object` …) are
refused.  A plan never needs them; aliases make one edit change several places at once
unseen, and a few lines of nested aliases (an "alias bomb") expand to gigabytes in any
tool that walks the data."""

ID = "yaml-feature"
SEVERITY = "error"
STAGE = "load"
