"""Security checks (issue 8, part 5), gathered in one place.

- Permission matrix: every page and API endpoint against every kind of caller, and every answer searched for
  full CCCD numbers: test_permission_matrix.py (the table in matrix.py, the objects and callers in scene.py).
1. Login throttling, staff sign-in and citizens' one-time codes: test_login_throttling.py.
2. Tracking enumeration resistance on /tra-cuu/ (same answer, per-code and per-address limits):
   test_tracking_enumeration.py.
3. Upload validation (type by signature, size limit, names that climb out of folders), at every place a file
   enters: test_uploads.py.
4. CSRF on pages and on the session-authenticated API, for every route: test_csrf.py.
5. Security headers and cookie flags (nosniff, frame options and frame-ancestors, Referrer-Policy, CSP, HSTS,
   Secure/HttpOnly/SameSite): test_headers.py.
6. CCCD masking in logs, exports and lists (beyond the matrix): test_cccd_masking.py.
7. The personal-data access log (PersonalDataAccess, Decree 13/2023): test_access_log.py.

Fixtures: conftest.py gives `world` (tests/dossiers/conftest.py), `sms` (tests/citizens/conftest.py) and `now`,
a still clock for django.utils.timezone.now.
"""
