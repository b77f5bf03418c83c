"""The processes of Pustaka, whatever serves them: everything a process holds and runs, without Flask.

- `root`: the composition root (`Runtime`), built once per process from its settings, and the
  settings bundles and workers each use case takes (`factories`), the instance's keys (`keys`);
  public links (`links`); `once`: a part built once, however many threads ask at once.
- `lanes` and `tasks`: the two job lanes and the table of tasks they run; `consumer`: the lanes
  consumed in threads, with lease recovery; `lane_health`, `job_log`: how each lane is doing.
- `serving`: the job process of `pustaka serve` and `pustaka worker`; `supervisor`: the
  process manager that starts web processes (given their WSGI app) and the job process;
  `batch_child` and `apart`: work in processes of their own; `hot_folder_watcher`.
- `logs`, `counted`, `readiness`, `alerting`: what every process logs, counts and watches.

The web shell (`webapp/`) and the command line import this package; it never imports them,
nor Flask (a test enforces it).
"""
