"""Declarative models of one environment's configuration (pydantic v2, strict)."""

from meterr_config.models.environment import Environment

__all__ = ["Environment"]
