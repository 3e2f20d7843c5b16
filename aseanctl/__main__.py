from aseanctl.cli import entry

if __name__ == "__main__":  # not when a process started by multiprocessing imports it
    entry()
