"""Issue 16: the adversarial round's cases, one test each; each case's test failed on
c4eba5f. Beside them, checks that the fixes do not over-correct (VER010's timeout oracle
and unflagged routes, compressed answers still read) pass on any build by design."""
