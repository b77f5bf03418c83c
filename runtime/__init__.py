"""The processes of Pustaka, whatever serves them: everything a process holds and runs, without Flask.

A process builds one composition root from its settings (`root`: `Runtime`), which hands each use
case the settings, workers and keys it takes (`factories`) and runs jobs on two lanes (`lanes`;
`tasks`: one body per task, each calling one library use case). `serving` is what `pustaka serve`
and `pustaka worker` run; `supervisor` starts the web processes (given their WSGI app) and the job
process. What every process logs, counts, watches and alerts on is here too.

The web shell (`webapp/`) and the command line import this package; it never imports them,
nor Flask (a test enforces it).
"""
