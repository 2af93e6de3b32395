"""Environment variable rules (ENV): values that do not fit the environment they are in."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

from pydantic import BaseModel

from meterr_config.envfile import Misread, Misreading
from meterr_config.findings import Severity
from meterr_config.lint.rule import CrossRule, Problem, Rule
from meterr_config.redact import quoted
from meterr_config.snapshot import Snapshot

LOCAL_HOSTS = ("localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1")
ENV_LIMIT = 64 * 1024


def _known(snap: Snapshot) -> Iterable[tuple[str, str]]:
    for name, entry in sorted(snap.env.items()):
        if entry.value is not None:
            yield name, entry.value


class MissingInEnvironment(CrossRule):
    """## What it does
    Flags a variable that some linted environments declare and another does not.

    ## Why is this bad?
    Code that works on staging fails on production for want of one variable.

    ## Example
    ```toml
    # staging.toml declares [env.STRIPE_KEY]; production.toml does not
    ```

    ## Use instead
    Declare shared variables in `base.toml`.

    ## Sources
    - No platform decides this: meterr-config's parity policy (`[policy]` in the
      environment files), after the deployment guide's per-environment variable lists
    """

    id = "ENV001"
    name = "missing-in-environment"

    def check_all(
        self, snaps: list[Snapshot], options: BaseModel
    ) -> Iterable[tuple[Snapshot, Problem]]:
        if len(snaps) < 2:
            return
        everywhere = set().union(*(s.env for s in snaps))
        for snap in snaps:
            for name in sorted(everywhere - set(snap.env)):
                others = ", ".join(s.name for s in snaps if name in s.env)
                yield snap, Problem(f"{name} is set in {others} but not here", "env", (name,))


class NodeEnvMismatch(Rule):
    """## What it does
    Flags `NODE_ENV` that does not match the environment: `production` outside
    development, `development` in it.

    ## Why is this bad?
    React and Next.js switch off their production optimisations and safety checks, or
    development tooling ends up in production.

    ## Example
    ```toml
    # staging.toml
    [env]
    NODE_ENV = "development"
    ```

    ## Use instead
    `NODE_ENV = "production"` for every deployed environment.

    ## Sources
    - https://nextjs.org/docs/messages/non-standard-node-env (Next.js sets NODE_ENV itself:
      production for `next build`, development for `next dev`)
    """

    id = "ENV002"
    name = "node-env-mismatch"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        entry = snap.env.get("NODE_ENV")
        expected = "development" if snap.development else "production"
        if entry is not None and entry.value is not None and entry.value != expected:
            yield Problem(
                f"NODE_ENV is {quoted(entry.value)}; expected {expected!r}", "env", ("NODE_ENV",)
            )


class InsecurePublicUrl(Rule):
    """## What it does
    Flags `NEXT_PUBLIC_*` URLs that use `http://` outside development.

    ## Why is this bad?
    The browser then talks to the API in clear text, and mixed content is blocked on an
    https page.

    ## Example
    ```toml
    [env]
    NEXT_PUBLIC_API_URL = "http://api.meterr.ai"
    ```

    ## Use instead
    `https://api.meterr.ai`.

    ## Sources
    - https://developer.mozilla.org/docs/Web/Security/Mixed_content (an https page's
      requests to http:// are blocked or upgraded)
    """

    id = "ENV003"
    name = "insecure-public-url"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, value in _known(snap):
            if snap.env[name].public and value.startswith("http://"):
                yield Problem(f"{name} uses http://", "env", (name,))


class PointsAtLocalhost(Rule):
    """## What it does
    Flags values pointing at localhost outside development.

    ## Why is this bad?
    A deployed function has no database on localhost: the first query fails.

    ## Example
    ```toml
    # production.toml
    [env]
    NEXT_PUBLIC_API_URL = "http://localhost:3000"
    ```

    ## Use instead
    The deployed service's address.

    ## Sources
    - No platform decides this: a Vercel Function has no service on its own localhost
      (https://vercel.com/docs/functions); meterr-config's policy outside development
    """

    id = "ENV004"
    name = "non-development-points-at-localhost"
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, value in _known(snap):
            host = urlsplit(value).hostname if "://" in value else None
            if host in LOCAL_HOSTS:
                yield Problem(f"{name} points at {host}", "env", (name,))


class RedisWithoutTls(Rule):
    """## What it does
    Flags `redis://` URLs (no TLS) outside development.

    ## Why is this bad?
    Redis credentials and cached data cross the network in clear text; managed Redis
    offers `rediss://`.

    ## Example
    ```sh
    REDIS_URL=redis://default:…@cache.example.com:6379
    ```

    ## Use instead
    `rediss://…`.

    ## Sources
    - https://redis.io/docs/latest/operate/oss_and_stack/management/security/encryption/
      (TLS is `rediss://`); managed Redis on Vercel's marketplace (Upstash) requires it
    """

    id = "ENV005"
    name = "redis-without-tls"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, value in _known(snap):
            if value.startswith("redis://"):
                yield Problem(f"{name} uses redis:// without TLS", "env", (name,))


class PostgresWithoutSsl(Rule):
    """## What it does
    Flags PostgreSQL URLs without `sslmode=require` (or `verify-ca`/`verify-full`)
    outside development.

    ## Why is this bad?
    The driver may fall back to an unencrypted connection to the database.

    ## Example
    ```sh
    DATABASE_URL=postgresql://app:…@db.example.com:5432/meterr
    ```

    ## Use instead
    `postgresql://…/meterr?sslmode=require`.

    ## Sources
    - https://www.postgresql.org/docs/current/libpq-ssl.html (sslmode `prefer`, the
      default, falls back to an unencrypted connection; `require` does not)
    """

    id = "ENV006"
    name = "postgres-without-ssl"
    severity = Severity.WARNING
    skip_in_development = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, value in _known(snap):
            parts = urlsplit(value)
            if parts.scheme in ("postgres", "postgresql"):
                mode = parse_qs(parts.query).get("sslmode", [""])[0]
                if mode not in ("require", "verify-ca", "verify-full"):
                    yield Problem(
                        f"{name} does not require SSL (sslmode={mode or 'unset'})", "env", (name,)
                    )


class EnvOver64Kb(Rule):
    """## What it does
    Adds up the names and known values of all variables and flags more than 64 KB.

    ## Why is this bad?
    Vercel allows 64 KB of environment variables per deployment; over it, the deploy fails.

    ## Example
    ```sh
    GOOGLE_SERVICE_ACCOUNT_JSON=<70 KB of JSON>
    ```

    ## Use instead
    Keep large blobs in storage and load them at runtime.

    ## Sources
    - https://vercel.com/docs/environment-variables#environment-variable-size (64 KB per
      deployment, names and values)
    """

    id = "ENV007"
    blocks_deploy = True
    name = "env-over-64kb"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        total = sum(len(n.encode()) + len(v.encode()) for n, v in _known(snap))
        if total > ENV_LIMIT:
            yield Problem(f"variables take {total} bytes; Vercel allows {ENV_LIMIT}", "env", ())


# Why Next.js reads a value otherwise, and what to write instead; {written} and {read}
# are the value's lengths, never any of its characters.
_MISREAD = {
    Misreading.EXPANDED: (
        "Next.js expands a `$` in it to what this file does not set (nothing, a default "
        "the file's own value should beat, or the process's variable): the app reads "
        "{read} characters where {written} are written; write `\\$` for a `$`"
    ),
    Misreading.CUT_AT_HASH: (
        "is cut at a `#` no space precedes, which Next.js reads as a comment outside "
        "quotes; quote the value"
    ),
    Misreading.ESCAPE_KEPT: (
        'keeps `\\t`, `\\\\` or `\\"` as two characters: in double quotes Next.js '
        "unescapes only `\\n` and `\\r`; write the value in single quotes, each character "
        "as itself"
    ),
    Misreading.ESCAPE_DROPPED: (
        "loses a backslash: Next.js turns `\\$` into `$` even in single quotes or "
        "backticks, where it keeps every other; unquoted, `\\$` reads as `$` and `\\\\$` "
        "as `\\$`"
    ),
    Misreading.QUOTE_KEPT: (
        "keeps its opening quote as part of the value: as Next.js reads it, the quote "
        "does not close (no closing quote, or text after it); close it, and start a "
        "comment with ` #`"
    ),
}


class DotenvReadDifferently(Rule):
    r"""## What it does
    Flags a value in a `.env` file (a `dir:` folder's, or a `dotenv:` file) that Next.js
    reads otherwise than it is written, and a line it skips. Next.js reads:

    - a `$` reference as the variable it names, whatever the quotes: `pa$$w0rd` reaches
      the app as `pa$` (`$w0rd` names nothing), and `${PORT:-80}` as `80` even where
      the file sets PORT;
    - an unquoted value up to the first `#`, even one no space precedes: `abc#123` is
      `abc`;
    - `\t`, `\\` and `\"` in double quotes as two characters: it unescapes only `\n` and
      `\r`;
    - `\$` as `$`, even in single quotes or backticks, where every other backslash stays;
    - a quote that does not close (or that text follows) as part of the value;
    - a line that is no `NAME=value`, `NAME: value`, comment or blank as nothing at all.

    A reference to a variable the same file sets (`$TWITTER_USER`, as Next.js's docs
    show), or with a default for one it does not set (`${PORT:-3000}`), is taken as meant.
    A file `vercel env pull` wrote holds Vercel's stored values and is not checked. The
    message names the variable, its line and the reason, never the value.

    ## Why is this bad?
    The app gets another value than the file shows: a password or a key that is wrong
    only where it runs, or a variable missing because its line was skipped.

    ## Example
    ```sh
    DB_PASSWORD=pa$$w0rd
    API_KEY=abc#123
    WINDOWS_PATH="C:\\Users\\app"
    JWT_SECRET sk-live-…
    ```

    ## Use instead
    ```sh
    DB_PASSWORD=pa\$\$w0rd
    API_KEY="abc#123"
    WINDOWS_PATH='C:\Users\app'
    JWT_SECRET=sk-live-…
    ```

    ## Sources
    - @next/env 16.4.6 `dist/index.js` (`loadEnvConfig`, `processEnv`), and dotenv
      16.3.1's `parse` (its LINE regex) and dotenv-expand's `expand` bundled in it;
      `tests/realtools/test_next_dotenv.py` loads 500 generated files per run with the
      real `loadEnvConfig` and requires the same value for every name
    """

    id = "ENV008"
    name = "dotenv-read-differently"
    severity = Severity.WARNING

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for misread in snap.dotenv_misread:
            if misread.name is None:
                yield Problem(
                    "Next.js skips this line: it holds no `NAME=value` (or `NAME: value`); "
                    "write one, or start a comment with `#`",
                    misread.path,
                    (misread.line,),
                )
            else:
                for why in misread.why:
                    yield Problem(_message(misread.name, why, misread), "env", (misread.name,))


def _message(name: str, why: Misreading, misread: Misread) -> str:
    """The variable's name, then why: its lengths, never its value."""
    text = _MISREAD[why].format(written=misread.written, read=misread.read)
    return f"{name}: {text}" if why is Misreading.EXPANDED else f"{name} {text}"


RULES = (
    MissingInEnvironment(),
    NodeEnvMismatch(),
    InsecurePublicUrl(),
    PointsAtLocalhost(),
    RedisWithoutTls(),
    PostgresWithoutSsl(),
    EnvOver64Kb(),
    DotenvReadDifferently(),
)
