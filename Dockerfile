# Airbyte's Python connector base image (Python 3.11), pinned by digest. scripts/image-test builds on a stand-in
# of it where Docker Hub does not answer.
ARG BASE_IMAGE=docker.io/airbyte/python-connector-base:4.0.2@sha256:9fdb1888c4264cf6fee473649ecb593f56f58e5d0096a87ee0b231777e2e3e73
FROM ${BASE_IMAGE}

WORKDIR /airbyte/integration_code

COPY pyproject.toml README.md manifest.yaml components.py ./
COPY source_linkedin_org ./source_linkedin_org
RUN pip install --no-cache-dir .

# The base image's unprivileged user runs the connector.
USER airbyte

ENV AIRBYTE_ENTRYPOINT="source-linkedin-org"
ENTRYPOINT ["source-linkedin-org"]

LABEL io.airbyte.name=airbyte/source-linkedin-org
LABEL io.airbyte.version=0.5.1
