"""The framework floor for bench/run.py: a trivial Django project outside the site's stack.

Django's `startproject` settings (its default middleware and apps), no database, and one
view answering with the bytes the cached mission page sends. bench/run.py serves it with the
site's gunicorn.conf.py, so the only difference from the site is what the site does per
request.
"""
