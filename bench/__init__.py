"""The benchmark: demo data at provincial scale, the app under gunicorn, 8 concurrent clients (docs/performance.md)."""
