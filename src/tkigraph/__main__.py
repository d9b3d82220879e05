"""``python -m tkigraph``: the same as the ``tkigraph`` command."""

from tkigraph.cli import main

if __name__ == "__main__":
    main()
