"""Allow `python -m meterr_config`."""

from meterr_config.cli import main

main()
