"""The generator of the bundled demo site (``newscrawl/demo/site/``) and its article data.

``model`` defines ``DemoArticle``, ``articles`` holds the site's articles, and ``build``
renders them (``python -m tools.demo_site.build``).
"""
