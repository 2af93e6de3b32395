"""One module per command. Each `run(...)` returns the process exit code."""
