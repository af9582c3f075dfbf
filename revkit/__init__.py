"""revkit — RevOps maturity assessment kit.

The public API is re-exported here; each step lives in its own module.
"""

__version__ = "0.1.0"

from revkit.errors import RevkitError  # noqa: E402

__all__ = ["RevkitError", "__version__"]
