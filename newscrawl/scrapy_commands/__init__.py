"""Scrapy commands newscrawl adjusts (``COMMANDS_MODULE``); each keeps Scrapy's behaviour else.

* ``crawl`` exits with status 1 when the run is not ``finished`` by
  :func:`newscrawl.runstats.run_verdict` (it fetched nothing, its start pages all failed, its
  writes failed, or it was stopped), and says why in one line.
* ``shell``, ``check`` and ``parse`` record no crawl run (``NEWSCRAWL_RUN_HISTORY`` off): they
  look at pages, they do not crawl a site.
"""
