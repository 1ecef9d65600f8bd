"""Background tasks of the dossiers app (django.tasks API through the django-tasks backport).

`deadline_watch` runs one pass of cchc.dossiers.deadline_watch. With the database backend (settings.TASKS),
enqueued tasks wait in the database until `manage.py db_worker` runs them; many workers may share the queue.

Scheduling, every 10 minutes (the watch is idempotent: a pass that finds nothing new queues nothing):

    */10 * * * *  cd /srv/cchc && .venv/bin/python manage.py watch_deadlines            # run the pass here
    */10 * * * *  cd /srv/cchc && .venv/bin/python manage.py watch_deadlines --enqueue  # or hand it to db_worker

The notices it queues are sent by `manage.py send_notifications --loop`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django_tasks import task

from cchc.dossiers.deadline_watch import deadline_watch_run


@task()
def deadline_watch(now: str | None = None) -> dict[str, Any]:
    """One pass of the deadline watch; `now` (ISO 8601, for replays and tests) defaults to the current time.

    Arguments and the result are JSON, as task backends store them.
    """
    moment = dt.datetime.fromisoformat(now) if now else None
    return asdict(deadline_watch_run(now=moment))
