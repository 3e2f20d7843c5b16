"""A YAML file where the layout expects none (say `task/nhom-1.yaml`, or `nhom-1.yaml`
beside plan.yaml) is not read, and this warning says so, so that a misplaced file does
not silently drop its tasks from the plan."""

ID = "stray-file"
SEVERITY = "warning"
STAGE = "load"
