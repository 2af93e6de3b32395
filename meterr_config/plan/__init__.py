"""plan, apply and status: the operations that make a project's Vercel variables match
the models, carried out safely, and what the serving deployment has not picked up.

- `wants`: what the models (and the supplied values) want on each target, refused
  before any write when a value could not be right (`refuse`)
- `live`: the project's variables as the API lists them, for planning and checking
- `compute`: wants and live → operations (`model`), one line per key and target (`lines`)
- `planfile`: a saved plan, without values, checked before it is applied
- `execute`: the writes, one request at a time, each read back, journalled (`journal`)
  and recorded in the committable ledger (`ledger`), under a per-project lock
- `status`: variables changed since the serving deployment was built, and outside
  meterr-config
"""
