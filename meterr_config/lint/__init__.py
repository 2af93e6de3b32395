"""Lint: rules over Snapshots, so models, files on disk and live state are checked alike."""
