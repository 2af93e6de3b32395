"""Live state: the Vercel REST API and running deployments, as snapshots."""
