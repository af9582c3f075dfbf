"""`python -m revkit` runs the command-line interface."""

from revkit.cli import main

if __name__ == "__main__":
    main()
