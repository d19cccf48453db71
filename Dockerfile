# syntax=docker/dockerfile:1
# Two images from one file, built from the same lock files as `make setup`:
#   docker build --target rasa -t showroom-rasa .   (Rasa 3.6 on Python 3.10, model trained at build)
#   docker build --target app  -t showroom-app  .   (showroom: web/gateway, action server, dialer)
# docker-compose.yml builds both.

# ---------------------------------------------------------------- Rasa (Python 3.10)
FROM python:3.10-slim-bookworm AS rasa
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY requirements/rasa.lock requirements/rasa.lock
RUN python -m venv /opt/venv-rasa \
 && /opt/venv-rasa/bin/pip install --upgrade pip \
 && /opt/venv-rasa/bin/pip install -r requirements/rasa.lock
ENV PATH=/opt/venv-rasa/bin:$PATH
COPY config.yml domain.yml credentials.yml endpoints.yml ./
COPY components/ components/
COPY data/ data/
# Same command as `make train`; the image carries its model.
RUN rasa train --quiet --num-threads 2 --augmentation 0 --out models \
 && rm -rf .rasa
RUN useradd --create-home --uid 1001 rasa && mkdir -p var && chown -R rasa var models
USER rasa
EXPOSE 5005
ENTRYPOINT ["rasa"]
CMD ["run", "--enable-api", "--port", "5005", "--model", "models", "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]

# ---------------------------------------------------------------- app (Python 3.11)
FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# The Debian packages scripts/system-deps.sh installs for `make setup`
COPY scripts/system-deps.sh scripts/system-deps.sh
RUN scripts/system-deps.sh runtime && rm -rf /var/lib/apt/lists/*
COPY requirements/app.lock requirements/app.lock
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install -r requirements/app.lock
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml alembic.ini ./
COPY showroom/ showroom/
COPY actions/ actions/
COPY components/ components/
COPY demo/ demo/
RUN pip install --no-deps -e .
RUN useradd --create-home --uid 1001 showroom && mkdir -p var/media && chown -R showroom var
USER showroom
EXPOSE 8000 5055
CMD ["showroom", "serve"]
