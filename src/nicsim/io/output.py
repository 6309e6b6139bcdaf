"""Writing results safely: atomic files, checked output paths, output folders with a manifest.

Every file nicsim writes as a result (netCDF, JSON, HTML, YAML, Markdown, figures) goes through
:func:`atomic_path` (or the helpers built on it): the content is written to a temporary file with
a unique name in the target folder, flushed to disk (``fsync``) and renamed over the target in
one step. Several processes writing the same path at once therefore never mix their bytes: the
file a reader finds is always one writer's complete file, and an interrupted run (Ctrl-C, a
crash) leaves no temporary file and never a half-written target.

Output paths are checked *before* any computing (:func:`check_output_file`,
:func:`check_output_folder`): the path must not be an input of the run, must not be a folder
(for files) or a file (for folders), its folder must be writable, a figure needs a known suffix,
and an existing file that is not a nicsim result is only replaced with ``force=True``
(``--force`` on the command line).

An output folder (trial, sensitivity, loop, validation, demo) records the files of its last run
in ``nicsim-output.json`` (:class:`OutputFolder`); a re-run into the same folder removes the
files of the previous run that it did not write again, so no stale report stays next to new
results.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from nicsim._version import __version__
from nicsim.errors import NicsimError

#: File of an output folder that lists the files its last run wrote.
MANIFEST = "nicsim-output.json"
#: Figure formats a ``--plot`` path may have (matplotlib writes them by suffix).
PLOT_SUFFIXES = (".png", ".pdf", ".svg")
_TMP_MARK = ".tmp-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


class OutputPathError(NicsimError, ValueError):
    """An output path cannot or must not be written; the message says why and what to do."""


# ============================================================================ atomic writing
@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a unique temporary path next to ``path`` (same suffix, so writers that choose the
    format by suffix still work); when the block ends without error the temporary file is
    flushed to disk and renamed over ``path`` atomically. On any error, Ctrl-C included, the
    temporary file is removed and ``path`` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{_TMP_MARK}",
                                    suffix=path.suffix)
    os.close(fd)
    tmp = Path(tmp_name)
    _IN_FLIGHT.add(tmp)
    try:
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; results get the usual mode
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        _IN_FLIGHT.discard(tmp)


#: temporary files being written now (removed by :func:`discard_in_flight` on a hard stop)
_IN_FLIGHT: set[Path] = set()


def discard_in_flight() -> None:
    """Remove the temporary files of writes in progress (before an immediate exit)."""
    for tmp in list(_IN_FLIGHT):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically; returns the path."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def write_json(path: str | os.PathLike[str], data, **kw) -> Path:
    """``json.dumps(data, **kw)`` plus a newline, written atomically."""
    return write_text(path, json.dumps(data, **kw) + "\n")


def netcdf_storable(value) -> bool:
    """Whether netCDF (through h5netcdf) can store ``value`` as an attribute: a string, a number
    (not a bool), a numeric or string array, or a list/tuple of only strings or only numbers."""
    import numpy as np

    def number(v) -> bool:
        return isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))

    if isinstance(value, str) or number(value):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "iufUS"
    if isinstance(value, (list, tuple)):
        return all(isinstance(v, str) for v in value) or all(number(v) for v in value)
    return False


def netcdf_ready(ds):
    """A shallow copy of the dataset ``ds`` without the attributes (of the dataset and of every
    variable) that netCDF cannot store: None, bools, dicts, mixed lists."""
    out = ds.copy()
    out.attrs = {k: v for k, v in ds.attrs.items() if netcdf_storable(v)}
    for name in out.variables:
        out[name].attrs = {k: v for k, v in ds[name].attrs.items() if netcdf_storable(v)}
    return out


def write_netcdf(ds, path: str | os.PathLike[str]) -> Path:
    """The one netCDF writer: the dataset ``ds`` as netCDF4/HDF5 (h5netcdf) at ``path``, written
    to a unique temporary file and renamed in one step (:func:`atomic_path`); attributes netCDF
    cannot store are left out (:func:`netcdf_ready`); the folder is created if missing."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        netcdf_ready(ds).to_netcdf(tmp, engine="h5netcdf")
    return path


def save_figure(fig, path: str | os.PathLike[str], **kw) -> Path:
    """``fig.savefig(path, **kw)`` atomically (format from the suffix unless given)."""
    path = Path(path)
    kw.setdefault("format", path.suffix.lstrip(".").lower() or "png")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, **kw)
    return path


# ============================================================================ path checks
def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def _inputs(inputs: Iterable[str | os.PathLike[str] | None]) -> list[Path]:
    return [Path(p) for p in inputs if p is not None and not (isinstance(p, str) and "\n" in p)]


def _check_writable_folder(folder: Path, option: str, shown: Path) -> None:
    """Prove that ``folder`` (or, where it does not exist yet, its nearest existing parent)
    is a folder a file can be created in; nothing is left behind."""
    probe = folder
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputPathError(f"{option} {shown}: {probe} is not a folder; choose a path "
                              "inside a folder")
    try:
        fd, name = tempfile.mkstemp(dir=probe, prefix=f".nicsim{_TMP_MARK}")
        os.close(fd)
        os.unlink(name)
    except OSError as exc:
        raise OutputPathError(f"{option} {shown}: cannot write into the folder {probe} "
                              f"({exc.strerror or exc}); choose a writable folder") from None


def is_nicsim_file(path: str | os.PathLike[str]) -> bool:
    """Whether an existing file looks like something nicsim (or its plotting library) wrote:
    a netCDF file with a ``nicsim_version`` attribute, a figure made by matplotlib, or a text
    file (HTML, JSON, YAML, Markdown) that names nicsim."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return False
    if path.suffix.lower() == ".nc":
        if head.startswith(b"CDF"):  # netCDF3 (scipy): attributes are in the header
            return b"nicsim_version" in head
        try:
            # lazy: h5py loads the HDF5 library; only netCDF writing needs it
            import h5py

            with h5py.File(path, "r") as f:
                return "nicsim_version" in f.attrs or "nicsim_version" in str(dict(f.attrs))
        except Exception:
            return False
    low = head.lower()
    return b"nicsim" in low or b"matplotlib" in low


def check_output_file(path: str | os.PathLike[str] | None, *,
                      inputs: Sequence[str | os.PathLike[str] | None] = (),
                      force: bool = False, option: str = "--out",
                      suffixes: Sequence[str] | None = None) -> Path | None:
    """Check an output *file* path before computing; returns it as a Path (None stays None).

    Refuses (:class:`OutputPathError`): an input of the run, an existing folder, a suffix not in
    ``suffixes``, a folder that cannot be written, and an existing file that is not a nicsim
    result unless ``force``.
    """
    if path is None:
        return None
    path = Path(path)
    shown = path
    for p in _inputs(inputs):
        if _same_file(path, p):
            raise OutputPathError(f"{option} {shown}: this is an input of the run ({p}); "
                                  "writing results there would destroy it. Choose another "
                                  "path")
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise OutputPathError(f"{option} {shown}: unknown file type {path.suffix or '(none)'!r};"
                              f" use one of {', '.join(suffixes)}")
    if path.is_dir():
        raise OutputPathError(f"{option} {shown}: this is a folder; give a file path, e.g. "
                              f"{path / ('results' + (suffixes[0] if suffixes else '.nc'))}")
    if path.exists() and not force and not is_nicsim_file(path):
        raise OutputPathError(f"{option} {shown}: the file exists and is not a nicsim result; "
                              "choose another path or pass --force to replace it")
    _check_writable_folder(path.parent, option, shown)
    return path


def check_output_folder(path: str | os.PathLike[str], *,
                        inputs: Sequence[str | os.PathLike[str] | None] = (),
                        force: bool = False, option: str = "--out") -> Path:
    """Check an output *folder* before computing (and create it); returns it as a Path.

    Refuses: a path that is a file, a folder that holds an input of the run, a folder that
    cannot be written, and an existing non-empty folder that nicsim did not write (no
    ``nicsim-output.json`` and no nicsim result in it) unless ``force``. Nothing is created.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputPathError(f"{option} {path}: this is a file, not a folder; give a folder "
                              "for the results")
    for p in _inputs(inputs):
        try:
            inside = p.resolve().is_relative_to(path.resolve())
        except OSError:
            inside = False
        if inside:
            raise OutputPathError(f"{option} {path}: the folder holds an input of the run "
                                  f"({p}), which the results could overwrite; choose another "
                                  "output folder")
    if path.is_dir() and not force and not _is_nicsim_folder(path):
        raise OutputPathError(f"{option} {path}: the folder exists, is not empty and holds no "
                              "nicsim results; choose another folder or pass --force to write "
                              "into it")
    _check_writable_folder(path, option, path)
    return path


def _is_nicsim_folder(path: Path) -> bool:
    if (path / MANIFEST).is_file():
        return True
    entries = [e for e in path.iterdir() if not e.name.startswith(".")]
    if not entries:
        return True
    return any(e.is_file() and is_nicsim_file(e) for e in entries[:50])


# ============================================================================ output folders
class OutputFolder:
    """An output folder of one run. Create it before writing; :meth:`finish` (after writing)
    takes the files written since then as this run's files, removes the files the previous run
    (per its manifest) wrote and this run did not, and writes the new manifest."""

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.started_ns = time.time_ns() - 50_000_000  # file-system clocks tick coarsely

    def previous(self) -> list[str]:
        """The files the previous run listed in the manifest (relative paths)."""
        try:
            data = json.loads((self.path / MANIFEST).read_text(encoding="utf-8"))
            return [str(f) for f in data.get("files", []) if isinstance(f, str)]
        except (OSError, ValueError, AttributeError):
            return []

    def written(self) -> list[str]:
        """Files (relative paths) written into the folder since this object was made."""
        out = []
        for p in self.path.rglob("*"):
            if p.name == MANIFEST or _TMP_MARK in p.name:
                continue
            try:
                if p.is_file() and p.stat().st_mtime_ns >= self.started_ns:
                    out.append(p.relative_to(self.path).as_posix())
            except OSError:
                continue
        return sorted(out)

    def finish(self) -> list[Path]:
        """Remove stale files of the previous run; write the manifest. Returns what was
        removed."""
        root = self.path.resolve()
        now = self.written()
        removed = []
        for rel in self.previous():
            if rel in now or rel == MANIFEST:
                continue
            target = (root / rel).resolve()
            if not target.is_relative_to(root) or not target.is_file():
                continue
            with contextlib.suppress(OSError):
                target.unlink()
                removed.append(target)
                parent = target.parent
                while parent != root and not any(parent.iterdir()):  # folders left empty
                    parent.rmdir()
                    parent = parent.parent

        write_json(self.path / MANIFEST, {"written_by": f"nicsim {__version__}", "files": now},
                   indent=1)
        return removed


__all__ = ["MANIFEST", "PLOT_SUFFIXES", "OutputFolder", "OutputPathError", "atomic_path",
           "check_output_file", "check_output_folder", "discard_in_flight", "is_nicsim_file",
           "netcdf_ready", "netcdf_storable", "save_figure", "write_json", "write_netcdf",
           "write_text"]
