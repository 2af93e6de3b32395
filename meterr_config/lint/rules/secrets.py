"""Secret rules (SEC): length, format, entropy, placeholders, reuse, exposure, presence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from meterr_config.findings import Severity
from meterr_config.lint.rule import CrossRule, Problem, Rule
from meterr_config.redact import redact
from meterr_config.secretshapes import (
    bits_per_char,
    format_problem,
    is_placeholder,
    looks_random,
    names_a_secret,
    shape_of,
    shapes_in,
)
from meterr_config.snapshot import EnvEntry, Snapshot

# RFC 7518 §3.2: an HMAC key is at least as long as the hash; Vercel: CRON_SECRET >= 16.
_NAME_MINIMUMS = (
    (re.compile(r"JWT|HMAC|SESSION|SIGNING|AUTH_SECRET|NEXTAUTH"), 32),
    (re.compile(r"^CRON_SECRET$"), 16),
)
_URL_FORMATS = {"postgres-url", "redis-url", "url", "dsn"}


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def secrets_with_values(snap: Snapshot) -> Iterator[tuple[str, EnvEntry, str]]:
    """(name, entry, value) for every secret whose value is known."""
    for name, entry, value in known_values(snap):
        if entry.secret:
            yield name, entry, value


def known_values(snap: Snapshot) -> Iterator[tuple[str, EnvEntry, str]]:
    """(name, entry, value) for every variable whose value is known, secret or plain."""
    for name, entry in sorted(snap.env.items()):
        if entry.value is not None:
            yield name, entry, entry.value


def required_length(name: str, entry: EnvEntry) -> int:
    """The longest of the declared minimum and, for secrets, the minimum its name implies."""
    implied = [n for pattern, n in _NAME_MINIMUMS if entry.secret and pattern.search(name)]
    return max([entry.min_length or 0, *implied])


class SecretTooShort(Rule):
    """## What it does
    Checks each secret's value against its declared `min_length`, and against the minimum
    its purpose needs: 32 bytes for JWT and other HMAC keys (RFC 7518 §3.2), 16 for
    `CRON_SECRET` (Vercel's guidance).

    ## Why is this bad?
    A short HMAC key can be brute-forced offline from a single signed token, and then
    anyone can mint sessions. The guide only asked for "32+ characters".

    ## Example
    ```toml
    [env.JWT_SECRET]
    secret = true
    min_length = 32   # and the supplied value is 12 characters
    ```

    ## Use instead
    Generate 32 random bytes or more, e.g. `openssl rand -base64 48`.

    ## Sources
    - RFC 7518 §3.2 (an HS256 key of at least 256 bits);
      https://vercel.com/docs/cron-jobs/manage-cron-jobs#securing-cron-jobs (CRON_SECRET:
      at least 16 characters); the guide's "32+ character random string"
    """

    id = "SEC001"
    name = "secret-too-short"
    needs_values = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, entry, value in known_values(snap):
            need = required_length(name, entry)
            if len(value) < need:
                yield Problem(
                    f"{name} is {len(value)} characters; it needs at least {need}", "env", (name,)
                )


class SecretBadFormat(Rule):
    """## What it does
    Checks that a secret's value has its declared `format`: `hex32` is 64 hex characters,
    `base64-32` decodes to 32 bytes, OpenAI keys start `sk-`, Anthropic keys are
    `sk-ant-api03-…` (108 characters), postgres, redis and http URLs have a host, and a
    `dsn` (any other connection string: `mysql://`, `mongodb+srv://`) is `scheme://host…`.
    In a `dir:` folder, where nothing is declared, a secret is held to the format its own
    value implies: its scheme, an `sk-` prefix, or, for the guide's `ENCRYPTION_KEY`
    written in hex, 64 hex characters.

    ## Why is this bad?
    A wrongly shaped key fails at runtime, often only on the first request that needs it:
    an AES-256 key that is not 32 bytes makes every encryption throw.

    ## Example
    ```toml
    [env.ENCRYPTION_KEY]
    secret = true
    format = "hex32"   # and the supplied value is a 32-character password
    ```

    ## Use instead
    `openssl rand -hex 32` gives a valid `hex32` value.

    ## Sources
    - The providers' key formats (OpenAI `sk-…T3BlbkFJ…`, Anthropic `sk-ant-api03-…`, as
      gitleaks' rules match them:
      https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml); Node.js
      `crypto.createCipheriv('aes-256-gcm')`, which throws on a key that is not 32 bytes
    """

    id = "SEC002"
    name = "secret-bad-format"
    needs_values = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, entry, value in known_values(snap):
            if entry.format and (why := format_problem(entry.format, value)):
                yield Problem(f"{name} {why} (format {entry.format})", "env", (name,))


class EntropyOptions(_Options):
    """SEC003 options."""

    min_bits_per_char: float = 3.5
    min_total_bits: float = 128.0


class SecretLowEntropy(Rule):
    """## What it does
    Estimates the randomness of each secret value (Shannon entropy per character) and
    flags values under 3.5 bits per character (gitleaks' floor) or under 128 bits in all
    (ASVS 11.5.1). URLs and provider keys are skipped: their structure lowers the figure.

    ## Why is this bad?
    A secret a person typed (`meterr-production-2024!`) is guessable however long it is.

    ## Example
    ```toml
    [env.JWT_SECRET]
    secret = true   # supplied value: "aaaaaaaabbbbbbbbccccccccdddddddd"
    ```

    ## Use instead
    Values from a CSPRNG: `openssl rand -base64 48`. Options: `min_bits_per_char`,
    `min_total_bits`.

    ## Sources
    - gitleaks' entropy floor (3.5 bits per character, `config/gitleaks.toml`); OWASP ASVS
      5.0 §11.5.1 (at least 128 bits of entropy)
    """

    id = "SEC003"
    name = "secret-low-entropy"
    severity = Severity.WARNING
    Options = EntropyOptions
    needs_values = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        assert isinstance(options, EntropyOptions)
        for name, entry, value in secrets_with_values(snap):
            if entry.format in _URL_FORMATS | {"openai-key", "anthropic-key"} or is_placeholder(
                value
            ):
                continue
            per_char = bits_per_char(value)
            if (
                per_char < options.min_bits_per_char
                or per_char * len(value) < options.min_total_bits
            ):
                yield Problem(
                    f"{name} has about {per_char * len(value):.0f} bits of entropy "
                    f"({per_char:.1f} per character); use a random value",
                    "env",
                    (name,),
                )


class SecretPlaceholder(Rule):
    """## What it does
    Flags secret values that are placeholders: `changeme`, `xxx`, `...`, `<token>`,
    `${VAR}`, `your-key-here`, `true`, or one character repeated.

    ## Why is this bad?
    A placeholder that reaches a deployment is a known credential: anyone can sign with
    it, or the app fails in a way that looks like an outage.

    ## Example
    ```sh
    JWT_SECRET=changeme
    ```

    ## Use instead
    Set the real value in Vercel (`vercel env add JWT_SECRET production`).

    ## Sources
    - gitleaks' stopwords and allowlists (`config/gitleaks.toml`), and the placeholders of
      the guide's `.env` examples (`JWT_SECRET=...`)
    """

    id = "SEC004"
    name = "secret-placeholder"
    needs_values = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, _, value in secrets_with_values(snap):
            if is_placeholder(value):
                yield Problem(f"{name} holds a placeholder, not a secret", "env", (name,))


class SecretReused(CrossRule):
    """## What it does
    Flags the same secret value used by two environments (staging and production), or by
    two different secrets in one environment. Values are compared, never shown.

    ## Why is this bad?
    A staging leak then unlocks production; a key used for two purposes (signing and
    encryption) weakens both. OWASP: every environment gets its own secrets.

    ## Example
    ```sh
    # .env.staging and .env.production
    JWT_SECRET=<the same 64 characters>
    ```

    ## Use instead
    Generate each environment's secrets separately.

    ## Sources
    - https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
      (one secret per environment and per purpose)
    """

    id = "SEC005"
    name = "secret-reused-across-environments"
    needs_values = True

    def check_all(
        self, snaps: list[Snapshot], options: BaseModel
    ) -> Iterable[tuple[Snapshot, Problem]]:
        seen: dict[str, list[tuple[Snapshot, str]]] = defaultdict(list)
        for snap in snaps:
            for name, _, value in secrets_with_values(snap):
                if not is_placeholder(value):
                    seen[value].append((snap, name))
        for value, users in seen.items():
            if len(users) < 2:
                continue
            where = ", ".join(f"{s.name}:{n}" for s, n in users)
            for snap, name in users[1:]:
                yield (
                    snap,
                    Problem(
                        f"{name} has the same value as another secret ({where}; {redact(value)})",
                        "env",
                        (name,),
                    ),
                )


def _credential_shaped(value: str) -> bool:
    return shape_of(value) is not None or looks_random(value, 32)


class SecretExposedToBrowser(Rule):
    """## What it does
    Flags a secret under a `NEXT_PUBLIC_` name, a secret passed through next.config `env`,
    and any `NEXT_PUBLIC_` value that looks like a credential (a known key shape, a URL
    with a password, or a long random string).

    ## Why is this bad?
    Next.js inlines `NEXT_PUBLIC_*` values and next.config `env` into the JavaScript it
    sends to every browser. Anything there is public.

    ## Example
    ```toml
    [nextjs.env]
    OPENAI_API_KEY = { from_env = "OPENAI_API_KEY" }
    ```

    ## Use instead
    Read secrets on the server only (route handlers, server components), from
    `process.env`, and keep them out of `NEXT_PUBLIC_*` and next.config `env`.

    ## Sources
    - https://nextjs.org/docs/app/guides/environment-variables#bundling-environment-variables-for-the-browser
      (NEXT_PUBLIC_ values are inlined into the browser bundle) and
      https://nextjs.org/docs/app/api-reference/config/next-config-js/env (next.config
      `env` is too)
    """

    id = "SEC006"
    name = "secret-exposed-to-browser"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, entry in sorted(snap.env.items()):
            if entry.public and entry.secret:
                yield Problem(
                    f"{name} is a secret with a NEXT_PUBLIC_ name: it is sent to browsers",
                    "env",
                    (name,),
                )
            elif entry.public and entry.value is not None and _credential_shaped(entry.value):
                yield Problem(
                    f"{name} looks like a credential and is sent to browsers", "env", (name,)
                )
        inlined = (snap.next_config or {}).get("env") or {}
        for key, value in sorted(inlined.items()) if isinstance(inlined, dict) else []:
            source = str(value)
            referenced = re.fullmatch(r"process\.env\.(\w+)", source)
            passed = snap.env.get(referenced.group(1) if referenced else key)
            if (passed is not None and passed.secret) or _credential_shaped(source):
                yield Problem(
                    f"next.config env.{key} inlines a secret into the browser bundle",
                    snap.next_file,
                    ("env", key),
                )


def _committed(snap: Snapshot, name: str, value: str) -> bool:
    """A real value in a .env file that git keeps (Next.js ignores `.env*.local` by default)."""
    where = snap.locate("env", (name,))
    return not is_placeholder(value) and not (where and where.file.endswith(".local"))


def _secret_by_name(name: str, value: str) -> bool:
    """A secret-sounding name with a value that is not a credential-free URL or placeholder."""
    if not names_a_secret(name) or is_placeholder(value):
        return False
    parts = urlsplit(value)
    return not (parts.scheme and parts.hostname and parts.password is None)


class SecretInRepo(Rule):
    """## What it does
    Scans the committed files (environment files, or the vercel.json, next.config and
    `.env*` files of a folder) for secret-shaped literals: provider keys, private keys,
    URLs with a password. Also flags a variable with a secret-sounding name (`*_SECRET`,
    `*_TOKEN`, `*_KEY`…) given a plain value, e.g. a parent's secret turned off with
    `secret = false` in a child file, or set in vercel.json's `env` or `build.env`.

    ## Why is this bad?
    A secret in git is in every clone, fork and CI log for good; rotating it is the only
    fix.

    ## Example
    ```toml
    [env]
    OPENAI_API_KEY = "sk-proj-…"
    ```

    ## Use instead
    Declare the secret (`secret = true`) and supply its value from your secret store.

    ## Sources
    - gitleaks' rules for the key shapes
      (https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml), trimmed to
      what a Next.js app on Vercel holds; the issue-17 and issue-18 studies below for what
      templates commit
    """

    id = "SEC007"
    name = "secret-in-repo"

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        for name, entry, value in known_values(snap):
            if snap.source == "dir" and entry.secret and _committed(snap, name, value):
                yield Problem(f"{name} has a secret value in a committed .env file", "env", (name,))
            if entry.declared and not entry.secret and _secret_by_name(name, value):
                yield Problem(
                    f"{name} looks like a secret but has a value in the environment "
                    "files; declare it secret = true and supply the value",
                    "env",
                    (name,),
                )
        yield from _vercel_json_env(snap)
        for source in snap.texts:
            for number, shape in shapes_in(source.text):
                yield Problem(
                    f"a secret of shape {shape} is committed in {source.path}",
                    source.path,
                    (number,),
                )


def _vercel_json_env(snap: Snapshot) -> Iterator[Problem]:
    """Secret-named variables with a value in vercel.json's legacy `env` or `build.env`:
    the file is committed, and Vercel still reads both (vercel.json schema)."""
    if snap.source != "dir" or snap.vercel is None:
        return
    build = snap.vercel.get("build")
    tables: list[tuple[tuple[str, ...], object]] = [(("env",), snap.vercel.get("env"))]
    tables.append((("build", "env"), build.get("env") if isinstance(build, dict) else None))
    for path, table in tables:
        for name, value in sorted(table.items()) if isinstance(table, dict) else ():
            if isinstance(value, str) and _secret_by_name(name, value):
                where = ".".join(path)
                yield Problem(
                    f"{name} has a secret value in vercel.json `{where}`, which is committed",
                    "vercel.json",
                    (*path, name),
                )


class SecretMissing(Rule):
    """## What it does
    With secret values supplied, flags a required secret that has no value.

    ## Why is this bad?
    The deployment starts without it and fails on the first request that needs it.

    ## Example
    ```sh
    meterr-config lint env:production --values dotenv:.env.production.local
    # .env.production.local has no ENCRYPTION_KEY
    ```

    ## Use instead
    `vercel env add ENCRYPTION_KEY production`, then pull the values again.

    ## Sources
    - No platform decides this: the environment files' declared `required` secrets, checked
      only when values are supplied (`--values`)
    """

    id = "SEC008"
    name = "secret-missing"
    needs_values = True

    def check(self, snap: Snapshot, options: BaseModel) -> Iterable[Problem]:
        if snap.source != "env" or not snap.values_supplied:
            return
        for name, entry in sorted(snap.env.items()):
            if entry.secret and entry.required and entry.value is None and not entry.supplied:
                yield Problem(f"{name} is declared but no value was supplied", "env", (name,))


RULES = (
    SecretTooShort(),
    SecretBadFormat(),
    SecretLowEntropy(),
    SecretPlaceholder(),
    SecretReused(),
    SecretExposedToBrowser(),
    SecretInRepo(),
    SecretMissing(),
)
