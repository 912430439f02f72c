FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY service service
COPY projections projections
COPY workers workers
COPY demo demo
RUN pip install --no-cache-dir . && useradd --create-home leitai && mkdir -p /var/leitai && chown leitai /var/leitai
USER leitai
ENV LEITAI_DATA_DIR=/var/leitai PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["leitai", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "4"]
