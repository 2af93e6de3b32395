"""meterr-config: configuration as code for Next.js on Vercel."""

__version__ = "0.1.0"
