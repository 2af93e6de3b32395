"""Run the real consumers of the artifacts, Next.js and the Vercel CLI, and report what they say."""
