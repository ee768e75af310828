"""Airbyte source for LinkedIn Organization Pages."""

from source_linkedin_org.source import SourceLinkedinOrg

__all__ = ["SourceLinkedinOrg"]
