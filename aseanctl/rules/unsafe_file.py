"""A plan file, journal, report input or folder of the plan tree must be a real file or
folder: a symbolic link, a FIFO, a device or a socket is refused and never opened.  A link
committed to a repository can point anywhere on the machine that checks it out (`/etc/passwd`,
a `.git/config` holding a token, `/proc/self/pagemap`, which never ends), and a FIFO makes a
reader wait for ever; either would let a pull request read files into CI logs or hang the job.

The places checked are those aseanctl reads: the workspace folder, each plan folder, and its
`tasks/`, `journal/` and `reports/` folders (files whose names start with a dot are not read
and not checked).  Replace the link with the file itself."""

ID = "unsafe-file"
SEVERITY = "error"
STAGE = "load"
