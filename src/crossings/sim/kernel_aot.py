"""The day loop ahead of time: :func:`crossings.sim.kernel.run_chunk` built once as a C extension (numba.pycc), so a
small simulation needs neither numba's import nor the load of its cached code (most of a small run's time).

:func:`build` compiles the same kernel source with the same compiler flags as the JIT (fast-math flags, numpy error
model) and the same CPU model and features, so both give the same numbers (tests/sim/test_kernel_aot.py).
``scripts/setup.sh`` runs ``python -m crossings.sim.kernel_aot``; without a C compiler (or numba.pycc) the build is
skipped and the JIT is used. :func:`load` gives the built module, or ``None`` when there is none, or it was built
from another kernel source or for another CPU, or ``CROSSINGS_KERNEL=jit`` asks for the JIT. The module's name
holds a hash of the kernel's source files, so an edit to the kernel never runs stale code.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable

_HERE = Path(__file__).resolve().parent
#: Files whose text the compiled module depends on.
SOURCES = ("kernel.py", "randoms.py")
#: Environment variable choosing the kernel: "jit" (always numba's JIT) or "aot" (the built module, or the JIT).
KERNEL_ENV = "CROSSINGS_KERNEL"
#: numba types of run_chunk's arguments, in order (as model.run passes them).
SIGNATURE = ("void(int64, int64, int64, uint64, uint64, f8[:, ::1], f8[:, ::1], f8[:, ::1], f8[:, :, ::1], "
             "i8[::1], i8[::1], f8[::1], f8[::1], f8[::1], f8[::1], b1[::1], f8[::1], i8[::1], b1[::1], i8[::1], "
             "i8[:, :, ::1], i8[:, ::1])")


def source_hash() -> str:
    """Short hash of the kernel's source files and the signature: part of the module's name."""
    h = hashlib.sha256(SIGNATURE.encode())
    for name in SOURCES:
        h.update((_HERE / name).read_bytes())
    return h.hexdigest()[:12]


def module_name() -> str:
    return f"_kernel_aot_{source_hash()}"


def _cpu_id() -> str:
    """The CPU the module is built for: /proc/cpuinfo's model name and flags (cheap to read, no numba)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return ""
    keep = [ln.split(":", 1)[1].strip() for ln in text.splitlines()
            if ln.startswith(("model name", "flags"))][:2]
    return hashlib.sha256("|".join(keep).encode()).hexdigest()[:12]


def _cpu_file() -> Path:
    return _HERE / f"{module_name()}.cpu"


def load() -> ModuleType | None:
    """The built module for the current kernel source and CPU, or ``None`` (then the caller uses the JIT)."""
    if os.environ.get(KERNEL_ENV, "aot") == "jit":
        return None
    name = module_name()
    if importlib.util.find_spec(f"{__package__}.{name}") is None:
        return None
    try:
        if _cpu_file().read_text().strip() != _cpu_id():
            return None
        return importlib.import_module(f"{__package__}.{name}")
    except (OSError, ImportError):
        return None


#: dtype and number of dimensions of each array argument of run_chunk (from the 6th on), as in SIGNATURE.
_ARRAYS = (("float64", 2), ("float64", 2), ("float64", 2), ("float64", 3), ("int64", 1), ("int64", 1),
           ("float64", 1), ("float64", 1), ("float64", 1), ("float64", 1), ("bool", 1), ("float64", 1), ("int64", 1),
           ("bool", 1), ("int64", 1), ("int64", 3), ("int64", 2))
_N_SCALARS = 5


def _matches(args: tuple) -> bool:
    """Whether ``args`` are of SIGNATURE's types (the compiled module converts arrays without checking them)."""
    if len(args) != _N_SCALARS + len(_ARRAYS):
        return False
    for a, (dtype, ndim) in zip(args[_N_SCALARS:], _ARRAYS):
        if getattr(a, "ndim", None) != ndim or a.dtype.name != dtype or not a.flags.c_contiguous \
                or not a.flags.aligned:
            return False
    return True


def run_chunk(jit: Callable) -> Callable:
    """The kernel's ``run_chunk`` to call: the built module's when there is one and the arguments are of its
    types, else ``jit`` (the numba dispatcher)."""
    module = load()
    if module is None:
        return jit
    aot = module.run_chunk

    def run(*args) -> None:
        if _matches(args):
            aot(*args)
        else:
            jit(*args)
    run.aot = aot
    return run


@contextlib.contextmanager
def _as_the_jit(fastmath: set[str], error_model: str):
    """numba.pycc compiles with default flags for a generic CPU; make it use the JIT's flags, CPU and features."""
    from numba.core import codegen
    from numba.core.cpu import FastMathOptions
    from numba.pycc import compiler as pycc_compiler

    original_compile, original_features = pycc_compiler.compile_extra, codegen.AOTCPUCodegen._customize_tm_features

    def compile_extra(typingctx, targetctx, func, args, return_type, flags, *a, **kw):
        flags.fastmath = FastMathOptions(fastmath)
        flags.error_model = error_model
        return original_compile(typingctx, targetctx, func, args, return_type, flags, *a, **kw)

    pycc_compiler.compile_extra = compile_extra
    codegen.AOTCPUCodegen._customize_tm_features = codegen.CPUCodegen._get_host_cpu_features
    try:
        yield
    finally:
        pycc_compiler.compile_extra = original_compile
        codegen.AOTCPUCodegen._customize_tm_features = original_features


def build(output_dir: Path | None = None) -> Path:
    """Compile run_chunk into ``output_dir`` (default: this package's folder) and return the module's path; earlier
    builds there are removed first."""
    import warnings

    from numba.core.errors import NumbaPendingDeprecationWarning
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NumbaPendingDeprecationWarning)
        from numba.pycc import CC
    from . import kernel
    from .lazyjit import materialise
    materialise()  # run_chunk's callees as numba dispatchers, which pycc compiles into the module

    out = Path(output_dir) if output_dir is not None else _HERE
    name = module_name()
    for old in out.glob("_kernel_aot_*"):  # earlier builds (a failed build then leaves no module that loads)
        old.unlink()
    cc = CC(name)
    cc.output_dir = str(out)
    cc.target_cpu = "host"
    cc.verbose = False
    cc.export("run_chunk", SIGNATURE)(kernel.run_chunk.py_func)
    with _as_the_jit(kernel._FAST, "numpy"):
        cc.compile()
    (out / f"{name}.cpu").write_text(_cpu_id() + "\n")
    return out / cc.output_file


def main() -> int:
    """``python -m crossings.sim.kernel_aot``: build, or say why not (the JIT is used then); exit 0 either way."""
    try:
        path = build()
    except Exception as e:  # no C compiler, no numba.pycc (removed in a later numba): the JIT still works
        why = (str(e).strip().splitlines() or [""])[0]
        print(f"crossings: the ahead-of-time kernel was not built ({type(e).__name__}: {why}); "
              "simulations use numba's JIT", file=sys.stderr)
        return 0
    print(f"crossings: built the ahead-of-time kernel {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
