"""Atomic file writes: a reader sees the old bytes or the new bytes, never a truncated file.

`Batch` goes further for a set of files under one output folder:

- all or nothing: every new file is first written in full beside its target, and only
  when all of them are ready are they renamed into place. Each replaced file is kept
  (hard-linked aside) until the last rename has succeeded; when a rename fails, every
  target already replaced is put back and the command fails with nothing changed.
- one writer at a time: the output folder is locked (`filelock`, on the folder's own
  descriptor, so no lock file appears among the generated files) from the first file
  staged until the commit or abort, so two renders of one folder run one after the other.
- no write through a link: the output folder is opened once without following links
  (O_NOFOLLOW), and every folder and file below it is reached from that descriptor, one
  name at a time, never following a link (`dir_fd=` operations). A link another process
  swaps in for `generated/production` after it was checked makes the write fail instead
  of landing where the link points.

Permissions: a new file gets 0644 less the umask (generated files hold no secrets, but
the umask is the user's say), a replaced file keeps its own mode, and neither is ever
group- or world-writable.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from filelock import lock_descriptor

from meterr_config.errors import InputError, Location
from meterr_config.paths import real_folder

_NEVER = 0o022  # group- and world-writable
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_LINKED = "is a symlink: generated files are regular files; remove the link"
_LINKED_FOLDER = "is a symlink: generated files are written in real folders; remove the link"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class _Staged:
    """A file written in full beside its target, waiting for the commit."""

    folder: tuple[str, ...]  # below the output folder
    tmp: str
    name: str
    path: Path  # as the caller named it, for messages


def _scratch(name: str, kind: str) -> str:
    """A staging (`tmp`) or backup (`old.tmp`) name beside `name`: hidden, and matched by
    `_clear_stale`, so what a killed run leaves is cleared by the next one."""
    return f".{name}.{secrets.token_hex(6)}.{kind}"


def _clear_stale(folder: int, name: str) -> None:
    """Remove the staging and backup files an earlier, killed run left beside `name`."""
    prefix = f".{name}."
    with os.scandir(folder) as entries:
        stale = [e.name for e in entries if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    for entry in stale:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(entry, dir_fd=folder)


def _existing(folder: int, name: str, path: Path, data: bytes) -> tuple[int, bool] | None:
    """(mode, holds exactly `data`) of the target, None when there is none; a link or
    anything but a regular file is refused, asked of the open descriptor."""
    try:
        fd = os.open(name, _READ, dir_fd=folder)
    except FileNotFoundError:
        return None
    except PermissionError:  # unreadable: replaced, with its mode
        info = os.stat(name, dir_fd=folder, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise InputError("is not a regular file", Location(str(path))) from None
        return stat.S_IMODE(info.st_mode), False
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError(f"{_LINKED}: refused", Location(str(path))) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise InputError("is not a regular file", Location(str(path)))
        return stat.S_IMODE(info.st_mode), handle.read(len(data) + 1) == data


def _stage_as(folder: int, tmp: str, data: bytes, mode: int) -> None:
    """Write `data` to the new file `tmp` in `folder`, synced, with `mode`."""
    fd = os.open(tmp, _CREATE, 0o600, dir_fd=folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fchmod(handle.fileno(), mode)
        os.fsync(handle.fileno())


def _stage(folder: int, name: str, data: bytes, mode: int) -> str:
    """Write `data` in full to a new staging file beside `name`; its name."""
    tmp = _scratch(name, "tmp")
    try:
        _stage_as(folder, tmp, data, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=folder)
        raise
    return tmp


def _keep_old(folder: int, name: str) -> str | None:
    """A second name for the target about to be replaced, so it can be put back; None
    when there is no target. A hard link where the file system has them, else a copy."""
    backup = _scratch(name, "old.tmp")
    try:
        os.link(name, backup, src_dir_fd=folder, dst_dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError:  # no hard links here: a copy, with the same mode
        with os.fdopen(os.open(name, _READ, dir_fd=folder), "rb") as old:
            data, mode = old.read(), stat.S_IMODE(os.fstat(old.fileno()).st_mode)
        _stage_as(folder, backup, data, mode)
    return backup


def _cannot_write(exc: OSError, path: Path) -> InputError:
    return InputError(f"cannot write: {exc.strerror or exc}", Location(str(path)))


class Batch:
    """Files staged beside their targets as they come, renamed into place on `commit`.

    A command that renders many environments stages each one's files and lets go of
    them, so memory does not grow with the number of environments; `abort` (or leaving
    the `with` block on an exception) removes every staged file and replaces nothing.
    Every target is under `root`: a target that is a symlink, sits in a linked folder,
    or that `..` leads outside the root, is refused.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staged: list[_Staged] = []
        self.unchanged = 0
        self._fd: int | None = None  # the root, opened without following links, locked
        self._made_root: list[Path] = []  # the root and its parents, when staging made them
        self._made: list[tuple[str, ...]] = []  # folders below the root staging made

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if kind is not None:
            self.abort()
        self._release()

    def _open_root(self) -> int:
        """The root's descriptor, locked: made (with its parents) when missing."""
        if self._fd is None:
            real_folder(self.root, "output folder")
            missing = [p for p in (self.root, *self.root.parents) if not os.path.lexists(p)]
            for folder in reversed(missing):  # mkdir(parents=True) would ignore the mode
                with contextlib.suppress(FileExistsError):  # another run's, just now
                    folder.mkdir(mode=0o755)
                    self._made_root.append(folder)
            try:
                fd = os.open(self.root, _DIR)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and self.root.is_symlink():
                    real_folder(self.root, "output folder")  # swapped in since: its message
                raise
            lock_descriptor(fd)
            self._fd = fd
        return self._fd

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases its lock
            self._fd = None

    def _parts(self, path: Path) -> tuple[str, ...]:
        """The names from the root down to `path`; refused when `..` leaves the root."""
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            parts = ("..",)
        if not parts or ".." in parts:
            raise InputError(
                f"leads outside the output folder {self.root}: refused", Location(str(path))
            )
        return parts

    def _folder(self, parts: tuple[str, ...], create: bool) -> int:
        """A new descriptor on the folder `parts` below the root, reached one name at a
        time without following a link; made when missing and `create`."""
        fd = os.dup(self._open_root())
        try:
            for end, part in enumerate(parts, start=1):
                try:
                    below = os.open(part, _DIR, dir_fd=fd)
                except FileNotFoundError:
                    if not create:
                        raise
                    os.mkdir(part, 0o755, dir_fd=fd)
                    self._made.append(parts[:end])
                    below = os.open(part, _DIR, dir_fd=fd)
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                        where = Location(str(self.root.joinpath(*parts[:end])))
                        if stat.S_ISLNK(os.stat(part, dir_fd=fd, follow_symlinks=False).st_mode):
                            raise InputError(f"{_LINKED_FOLDER}: refused", where) from None
                        raise InputError("is not a folder", where) from None
                    raise
                os.close(fd)
                fd = below
        except BaseException:
            os.close(fd)
            raise
        return fd

    def add(self, path: Path, data: bytes, mode: int | None = None) -> None:
        """Stage `data` for `path`, unless the file already holds exactly that; `mode`,
        when given, is the file's whatever it had (0o600 for a saved plan).

        A staging file an earlier, killed run left beside `path` is removed first."""
        try:
            parts = self._parts(path)
            folder = self._folder(parts[:-1], create=True)
            try:
                self._add(folder, parts, path, data, mode)
            finally:
                os.close(folder)
        except InputError:
            self.abort()
            raise
        except OSError as exc:
            self.abort()
            raise _cannot_write(exc, Path(exc.filename) if exc.filename else path) from None

    def _add(
        self, folder: int, parts: tuple[str, ...], path: Path, data: bytes, fixed: int | None
    ) -> None:
        name = parts[-1]
        _clear_stale(folder, name)
        found = _existing(folder, name, path, data)
        if found is not None and found[1] and (fixed is None or found[0] == fixed):
            self.unchanged += 1
            return
        kept = found[0] if found is not None else 0o644 & ~_umask()
        mode = (kept if fixed is None else fixed) & ~_NEVER
        self.staged.append(_Staged(parts[:-1], _stage(folder, name, data, mode), name, path))

    def _same_root(self) -> None:
        """The root's path still names the folder that was opened and locked: writes go
        through the descriptor whatever happens, but a folder moved or replaced by a link
        meanwhile is said, and nothing is written."""
        fd = self._open_root()
        try:
            now = self.root.lstat()
        except FileNotFoundError:
            now = None
        held = os.fstat(fd)
        if now is None or (now.st_dev, now.st_ino) != (held.st_dev, held.st_ino):
            raise InputError(
                "was moved or replaced (by a link?) while being written: refused",
                Location(str(self.root)),
            )

    def commit(self) -> list[Path]:
        """Rename every staged file into place; return the paths that changed.

        All or nothing: when a rename fails, the targets already replaced are restored
        from the files kept aside, and the error is raised with nothing changed."""
        done: list[tuple[_Staged, str | None]] = []
        try:
            if self.staged:
                self._same_root()
            for item in self.staged:
                done.append(self._replace(item))
        except (InputError, OSError) as exc:
            failed = self._roll_back(done)
            self.abort()
            if isinstance(exc, InputError):
                raise
            where = Path(exc.filename) if exc.filename else self.root
            raise InputError(
                f"cannot write: {exc.strerror or exc}; "
                + (f"could not restore {', '.join(failed)}" if failed else "nothing changed"),
                Location(str(where)),
            ) from None
        for item, backup in done:
            if backup is not None:
                self._unlink(item.folder, backup)
        changed = [item.path for item in self.staged]
        self.staged, self._made, self._made_root = [], [], []
        self._release()
        return changed

    def _replace(self, item: _Staged) -> tuple[_Staged, str | None]:
        """Keep the target aside, then rename the staged file over it."""
        folder = self._folder(item.folder, create=False)
        try:
            backup = _keep_old(folder, item.name)
            try:
                os.replace(item.tmp, item.name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError as exc:
                if backup is not None:
                    os.unlink(backup, dir_fd=folder)
                exc.filename = str(item.path)
                raise
        finally:
            os.close(folder)
        return item, backup

    def _roll_back(self, done: list[tuple[_Staged, str | None]]) -> list[str]:
        """Put back every replaced target (remove every new one), latest first; the
        paths that could not be put back."""
        failed = []
        for item, backup in reversed(done):
            try:
                folder = self._folder(item.folder, create=False)
                try:
                    if backup is None:
                        os.unlink(item.name, dir_fd=folder)
                    else:
                        os.replace(backup, item.name, src_dir_fd=folder, dst_dir_fd=folder)
                finally:
                    os.close(folder)
            except (InputError, OSError):
                failed.append(str(item.path))
        return failed

    def _unlink(self, parts: tuple[str, ...], name: str) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(InputError, OSError):
            folder = self._folder(parts, create=False)
            try:
                os.unlink(name, dir_fd=folder)
            finally:
                os.close(folder)

    def abort(self) -> None:
        """Remove every staged file and the folders staging made; the targets stay as
        they were."""
        for item in self.staged:
            self._unlink(item.folder, item.tmp)
        self.staged = []
        for parts in reversed(self._made):
            self._rmdir(parts)
        self._made = []
        self._release()
        for folder in reversed(self._made_root):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made_root = []

    def _rmdir(self, parts: tuple[str, ...]) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(InputError, OSError):
            folder = self._folder(parts[:-1], create=False)
            try:
                os.rmdir(parts[-1], dir_fd=folder)
            finally:
                os.close(folder)


def write_all(files: dict[Path, bytes], root: Path | None = None) -> list[Path]:
    """Write every changed file under `root` (by default, the folder of the files), all
    or none; return the paths that changed.

    A file system error becomes an InputError naming the path, with nothing replaced.
    """
    if not files:
        return []
    if root is None:
        root = Path(os.path.commonpath([path.parent for path in files]))
    with Batch(root) as batch:
        for path, data in files.items():
            batch.add(path, data)
        return batch.commit()


def write_bytes(path: Path, data: bytes, mode: int | None = None) -> bool:
    """Write one file atomically (with `mode`, when given); False when it already held
    exactly `data`."""
    if mode is None:
        return bool(write_all({path: data}))
    with Batch(path.parent) as batch:
        batch.add(path, data, mode)
        return bool(batch.commit())
