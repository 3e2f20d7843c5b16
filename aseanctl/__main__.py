from aseanctl.cli import main

raise SystemExit(main())
