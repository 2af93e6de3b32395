"""Issue 16: the adversarial round's cases, one test each; each failed on c4eba5f."""
