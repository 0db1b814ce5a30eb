"""HTTP around the API, below Django's URLs: CORS (``cors``), gzip (``compression``), read replicas
(``replicas``), static files (``storage``) and the load balancer's health checks (``health``).

May import: nothing of ``apps.core`` beyond ``apps.core.choices``; everything above may import it.
"""
