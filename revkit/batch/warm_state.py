"""Inside a reused kernel: load the libraries once, then reset everything between clients.

The warm engine (``revkit.batch.warm_engine``) runs these functions in its kernel:
``warm_up()`` once after the kernel starts, ``reset(cwd)`` before each client.
After ``reset`` a notebook sees what a fresh kernel would show it: an empty
namespace, execution count 1, no open figure, matplotlib, seaborn, pandas and
numpy settings as after import, the same warnings filters, environment,
``sys.path`` and working directory, random generators in one fixed state, and
every ``functools.cache`` of the kit emptied. Only imported modules stay,
which is the point: importing them is what a fresh kernel spends its time on.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import logging
import os
import random
import sys
import warnings

# The name the warm engine is registered under with papermill (see revkit.batch.warm_engine).
ENGINE_NAME = "revkit-warm"
# Modules the report notebook needs; importing them is most of a fresh kernel's start-up.
PRELOAD = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "seaborn", "IPython.display",
           "yaml", "jsonschema")

_BASELINE: dict = {}


def warm_up(notebooks: list[str] | None = None) -> list[str]:
    """Import the libraries a report needs, then record the state every client starts from.

    ``notebooks``: the notebooks this kernel will run; the kit modules they import are
    loaded too (by default the kernel's folder of notebooks, or every kit module).
    Returns the modules that could not be imported (a missing optional one is no error).
    """
    failed = []
    for name in (*PRELOAD, *_kit_modules(notebooks)):
        try:
            importlib.import_module(name)
        except Exception:  # a module that fails here fails visibly in the notebook itself
            failed.append(name)
    snapshot()
    return failed


def _kit_modules(notebooks: list[str] | None) -> list[str]:
    """The ``revkit`` modules imported by the code cells of ``notebooks``."""
    import ast
    import json

    if not notebooks:
        from revkit import layers

        return layers.report_module_names()
    found: list[str] = []
    for path in notebooks:
        with open(path, encoding="utf-8") as fh:
            cells = json.load(fh).get("cells", [])
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found += [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    found.append(node.module)
                    found += [f"{node.module}.{a.name}" for a in node.names]
    kit = [n for n in dict.fromkeys(found) if n == "revkit" or n.startswith("revkit.")]
    # "from revkit import charts" names a module; "from revkit.x import f" names a function
    return [n for n in kit if _is_module(n)]


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def snapshot() -> None:
    """Record the process-wide state that ``reset`` restores."""
    import matplotlib as mpl

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        # pyplot loads its backend with the first figure, and the inline backend then
        # switches interactive mode on: record the state after that, as a notebook sees it.
        plt.close(plt.figure())
    _BASELINE.update(
        rc=copy.deepcopy(dict(mpl.rcParams)),
        warnings=list(warnings.filters),
        environ=dict(os.environ),
        path=list(sys.path),
        random=random.getstate(),
        logging=(logging.root.level, list(logging.root.handlers)),
        inline=_inline_config(),
    )
    np = sys.modules.get("numpy")
    if np is not None:
        _BASELINE["np_random"] = np.random.get_state()
        _BASELINE["np_err"] = np.geterr()
        _BASELINE["np_print"] = np.get_printoptions()


def _inline_config() -> dict | None:
    try:
        from matplotlib_inline.config import InlineBackend
    except ImportError:
        return None
    cfg = InlineBackend.instance()
    return {"figure_formats": set(cfg.figure_formats),
            "print_figure_kwargs": dict(cfg.print_figure_kwargs), "rc": dict(cfg.rc)}


def reset(cwd: str | None = None) -> None:
    """Make this kernel look freshly started to the next notebook (see the module docstring)."""
    if not _BASELINE:
        snapshot()
    ip = _shell()
    if ip is not None:
        # A new session empties the namespace, In/Out and sets the execution count to 1.
        ip.reset(new_session=True, aggressive=False)
    _reset_plotting()
    _reset_libraries()
    warnings.filters[:] = _BASELINE["warnings"]
    warnings._filters_mutated()  # forget "once" warnings already shown to the last client
    os.environ.clear()
    os.environ.update(_BASELINE["environ"])
    sys.path[:] = _BASELINE["path"]
    random.setstate(_BASELINE["random"])
    level, handlers = _BASELINE["logging"]
    logging.root.setLevel(level)
    logging.root.handlers[:] = handlers
    clear_kit_caches()
    if cwd:
        os.chdir(cwd)
    # No gc.collect(): a full collection costs ~0.1 s per client, and the last client's
    # leftovers are unreachable from the new namespace either way; the collector's own
    # thresholds reclaim them.


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _reset_plotting() -> None:
    import matplotlib as mpl

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # restoring deprecated keys must not warn
        # Every key but the backend: re-setting that one makes pyplot switch backends
        # and drop the inline display of figures.
        mpl.rcParams.update({k: v for k, v in _BASELINE["rc"].items() if k != "backend"})
    inline = _BASELINE.get("inline")
    ip = _shell()
    if inline is not None and ip is not None:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
        from matplotlib_inline.config import InlineBackend

        cfg = InlineBackend.instance()
        cfg.rc = dict(inline["rc"])
        cfg.print_figure_kwargs = dict(inline["print_figure_kwargs"])
        cfg.figure_formats = set(inline["figure_formats"])
        set_matplotlib_formats(*sorted(inline["figure_formats"]),
                               **inline["print_figure_kwargs"])


def _reset_libraries() -> None:
    pd = sys.modules.get("pandas")
    if pd is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pd.reset_option("all")
    np = sys.modules.get("numpy")
    if np is not None and "np_random" in _BASELINE:
        np.random.set_state(_BASELINE["np_random"])
        np.seterr(**_BASELINE["np_err"])
        np.set_printoptions(**_BASELINE["np_print"])


def clear_kit_caches() -> int:
    """Empty every ``functools.cache``/``lru_cache`` in the kit's modules; returns how many."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if not (name == "revkit" or name.startswith("revkit.")) or module is None:
            continue
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)) and hasattr(value, "cache_info"):
                value.cache_clear()
                cleared += 1
    return cleared
