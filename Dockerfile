# salesdept's image: web (gunicorn), worker and beat run from it with different commands
# (compose.yaml). Its build step (deploy/build.sh) and start scripts (deploy/start-*.sh) are the
# ones the topology test runs (tests/salesdept/test_topology.py).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=salesdept.settings.production \
    PORT=8000

# Pango and fonts for PDF exports (Cyrillic and CJK included), gettext for the catalogues,
# curl for the container health checks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-cjk gettext curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system salesdept && useradd --system --gid salesdept --home-dir /app --shell /usr/sbin/nologin salesdept

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=salesdept:salesdept . .
RUN deploy/build.sh && chown -R salesdept:salesdept /app/staticfiles

USER salesdept
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl --fail --silent --max-time 4 "http://127.0.0.1:${PORT}/healthz" > /dev/null || exit 1
CMD ["deploy/start-web.sh"]
