"""Entry point of the bundled program (PyInstaller): the same ``carecall`` CLI as from source."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # workers started with multiprocessing in the bundle
    from app.cli import main

    sys.exit(main())
