"""Packaging glue that pyproject.toml cannot express (metadata lives in pyproject.toml).

The Alembic migrations stay in the top-level ``migrations/`` folder (``alembic.ini`` points
there) and ship inside the package as ``newscrawl.migrations``; the demo site, the demo sites
file and the Datasette files ship as package data.
"""

from setuptools import find_packages, setup

setup(
    packages=[
        *find_packages(include=["newscrawl", "newscrawl.*"]),
        "newscrawl.migrations",
        "newscrawl.migrations.versions",
    ],
    package_dir={"newscrawl.migrations": "migrations"},
    package_data={
        "newscrawl": ["py.typed"],
        "newscrawl.demo": ["sites.toml", "site/**/*"],
        "newscrawl.datasette": ["**/*"],
        "newscrawl.migrations": ["script.py.mako"],
    },
    include_package_data=False,
)
