"""State sources and values readers: one module per kind, listed in `registry`.

Each state source turns one SOURCE argument (`env:NAME`, `dir:PATH`, `dotenv:PATH`,
`vercel:PROJECT[@TARGET[:BRANCH]]`, `url:URL`) into a Snapshot, the plain data lint and diff read.
"""
