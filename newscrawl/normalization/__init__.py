"""Field normalizers: pure functions from raw strings to clean, comparable values.

One module per kind of field: ``text`` (whitespace, headlines, site names), ``dates``, ``authors``,
``tags``, ``urls`` and ``language``. None of them touches the network or raises on bad input;
heavy libraries (dateparser, py3langid) are imported lazily on first use.
"""
