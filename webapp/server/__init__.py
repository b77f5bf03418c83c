"""The HTTP server under the web app: waitress's processes and what guards its connections.

- `web_process`: one web process on the shared socket (built before the fork), its memory upkeep.
- `body_gate`: a body limit per request, applied as soon as its headers are in, before
  waitress reads the body.
- `connection_shares`: the web processes on one socket take turns at its connections.
- `idle_connections`: a process at its connection limit closes its longest idle connections
  instead of refusing new ones.

None of it is a view: `cli.serve` starts it; the Flask shell (`webapp`) does not import it.
"""
