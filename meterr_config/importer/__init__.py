"""`meterr-config import`: turn an existing vercel.json, next.config and .env file into an
environment file, and say exactly what could not be carried over.

Each input is converted key by key into the environment model's TOML shape. Every change
the import makes on purpose (a wildcard CORS origin, a renamed Next.js key) and every key
it cannot carry is a `Note`. The imported environment is then rendered and compared with
the inputs, so a difference no note explains is reported too, never silently lost.
"""
