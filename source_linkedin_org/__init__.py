"""Airbyte source for LinkedIn Organization Pages."""

from source_linkedin_org.connector_files import register_components

components = register_components()

from source_linkedin_org.source import SourceLinkedinOrg  # noqa: E402 - needs the components registered

__all__ = ["SourceLinkedinOrg", "components"]
