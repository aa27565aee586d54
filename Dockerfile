# The softmax gradient explorer as one container. Its commands are the README's (the
# "Deployment" section quotes them; tests/unit/test_deployment_docs.py keeps them equal).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# An unprivileged user runs the app; the code stays owned by root, so it cannot be changed.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin explorer

WORKDIR /app
COPY requirements.txt ./
RUN python -m pip install -r requirements.txt

# .streamlit/config.toml is the server's config: XSRF on, 5 MB uploads, type-only errors.
COPY .streamlit/config.toml .streamlit/config.toml
COPY app.py ./
COPY explorer/ explorer/

USER explorer
EXPOSE 8501

# slim has no curl: ask the health endpoint with Python's own urllib.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]

CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
