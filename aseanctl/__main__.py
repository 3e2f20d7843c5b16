from aseanctl.cli import entry

entry()
