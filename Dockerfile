# Production image: the API only; PostgreSQL (pgvector) and Redis come from docker-compose.yml.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md package.json package-lock.json ./
COPY app.py cli.py ./
COPY schema schema
COPY resolvers resolvers
COPY domain domain
COPY db db
COPY adapters adapters
COPY migrations migrations
# Point PIP_EXTRA_INDEX_URL at a CPU wheel index to keep CUDA out of the image.
ARG PIP_EXTRA_INDEX_URL=""
RUN pip install torch==2.13.0 && pip install . && npm ci --omit=dev --no-audit --no-fund \
    && python -c "import domain.data.build_gazetteer as g, pathlib; g.main(pathlib.Path(g.__file__).with_name('gazetteer.tsv'))"
RUN useradd --system --home /app jobmatch && chown -R jobmatch /app
USER jobmatch
EXPOSE 8000
CMD ["sh", "-c", "jobmatch migrate && jobmatch serve --host 0.0.0.0 --port 8000 --no-seed"]
