"""The console: where an organizer's staff, exhibitors' contacts and the platform's reviewers
work in a browser (issue 13). Server-rendered pages, no script, a session per browser.

- ``http``: the request read from API Gateway's event, the answer, the cookies.
- ``multipart``: a form with a file (``multipart/form-data``, 4 MB at most), read once the
  session is known; a page finds its files in ``visit.files`` as (filename, type, bytes).
- ``registry``: ``@page(method, path, kinds=..., admin_only=..., nav=...)`` registers a page.
- ``visit``: what a page gets (principal, user, language, form, csrf, now) and answers with
  (``render``, ``done`` for a redirect with a notice, ``record`` for the activity log).
- ``dispatch``: sessions, roles and CSRF for every page; errors as pages.
- ``sign_in_pages``: the only pages without a session.
- ``pages/``: the pages themselves, one module per area (listed in ``pages/__init__.py``).

How to add a page: /work/notes/console_core.md (docs/console.md once integrated).
"""
